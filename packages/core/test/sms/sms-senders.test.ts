import { describe, expect, it } from '@jest/globals';
import { ConsoleSmsSender } from '../../src/sms/console-sms-sender.js';
import { MemorySmsSender } from '../../src/sms/memory-sms-sender.js';
import { smsText } from '../../src/sms/sms-text.js';

describe('SMS senders', () => {
  it('the console sender prints one line with the E.164 number and the code', async () => {
    const lines: string[] = [];
    await new ConsoleSmsSender((line) => lines.push(line)).send({
      phone: '+8613900000000',
      code: '123456',
      purpose: 'login',
      text: smsText('123456', 'login'),
    });
    expect(lines).toEqual(['SMS to +8613900000000: 123456 is your login code']);
  });

  it('the memory sender lists messages and can be told to fail', async () => {
    const sender = new MemorySmsSender();
    await sender.send({ phone: '+8613900000000', code: '111111', purpose: 'reset', text: smsText('111111', 'reset') });
    await sender.send({ phone: '+8613900000001', code: '222222', purpose: 'verify', text: smsText('222222', 'verify') });
    expect(sender.outbox).toHaveLength(2);
    expect(sender.lastCode('+8613900000000')).toBe('111111');
    expect(sender.sentTo('+8613900000001')[0]?.text).toBe('222222 is your phone verification code');
    sender.failing = new Error('provider down');
    await expect(sender.send({ phone: '+8613900000000', code: '333333', purpose: 'login', text: '' })).rejects.toThrow('provider down');
    expect(sender.outbox).toHaveLength(2);
  });
});
