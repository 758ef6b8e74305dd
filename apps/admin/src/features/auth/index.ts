// The auth feature's public face: other features and the routes import only from here.
export { authKeys } from './api/query-keys.js';
export { useMe } from './api/get-me.js';
export { ssoLoginHref, useSsoStatus } from './api/get-sso-status.js';
export { useLogout } from './api/logout.js';
export { SignInForm } from './components/sign-in-form.js';
export * from './lib/permissions.js';
