/**
 * The browser bundle's entry (dist/public/app.js): runs the module of the page it is on
 * (`<body data-page>`), then marks the page ready (`data-ready`, which the browser tests wait
 * for before they type).
 */
import { adminUsersPage } from './pages/admin.js';
import { loginPage } from './pages/login.js';
import { wireLogout } from './pages/logout.js';
import { passwordResetPage, resetPasswordPage } from './pages/password-reset.js';
import { profilePage } from './pages/profile.js';
import { registerPage } from './pages/register.js';

const PAGES: Record<string, () => void> = {
  login: loginPage,
  register: registerPage,
  profile: profilePage,
  'admin-users': adminUsersPage,
  'password-reset': passwordResetPage,
  'reset-password': resetPasswordPage,
};

wireLogout();
PAGES[document.body.dataset.page ?? '']?.();
document.body.dataset.ready = 'true';
