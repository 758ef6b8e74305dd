// The invitations feature's public face: other features and the routes import only from here.
export { useInvitationPreview } from './api/get-invitation-preview.js';
export { AcceptInvitationForm } from './components/accept-invitation-form.js';
export { InviteUserModal } from './components/invite-user-modal.js';
export { PendingInvitations } from './components/pending-invitations.js';
