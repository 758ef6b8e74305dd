import { useNavigate, useParams } from 'react-router';
import { Alert, Anchor, Text } from '@mantine/core';
import { ApiError, errorMessage } from '../../lib/api-client.js';
import { LoadingState } from '../../components/ui/states.js';
import { PublicPage } from '../../components/ui/public-page.js';
import { useInvitationPreview } from '../../features/invitations/index.js';
import { AcceptInvitationForm } from '../../features/invitations/index.js';

/** `/invite/:token`, the public page of an invitation link: shows whom it is for, then sets a password. */
export function AcceptInvitationRoute() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const preview = useInvitationPreview(token);
  return (
    <PublicPage subtitle="Accept your invitation.">
      {preview.isPending ? (
        <LoadingState label="Checking the invitation…" />
      ) : preview.error ? (
        <Alert color="red" variant="light" role="alert" title="Invitation not valid">
          {preview.error instanceof ApiError && preview.error.status === 404
            ? 'This invitation link was already used, revoked or has expired. Ask an administrator for a new one.'
            : errorMessage(preview.error)}
          <Text size="sm" mt="xs">
            Already have an account? <Anchor href="/sign-in">Sign in</Anchor>.
          </Text>
        </Alert>
      ) : (
        <AcceptInvitationForm
          token={token}
          invitation={preview.data}
          onAccepted={() => navigate('/', { replace: true })}
        />
      )}
    </PublicPage>
  );
}
