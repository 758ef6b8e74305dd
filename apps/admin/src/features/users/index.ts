// The users feature's public face: other features and the routes import only from here.
export { UsersPanel } from './components/users-panel.js';
export { MembershipsField } from './components/memberships-field.js';
export { PlatformRoleField } from './components/platform-role-field.js';
