// The shared per-file test stores (one implementation, in core's test helpers).
export * from '../../packages/core/test/helpers/test-stores.js';
