import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Divider } from '@mantine/core';
import { PublicPage } from '../../components/ui/public-page.js';
import { SignInForm } from '../../features/auth/index.js';
import { useMe } from '../../features/auth/index.js';
import { ssoLoginHref, useSsoStatus } from '../../features/auth/index.js';
import { safeNext } from '../session.js';

export function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const expired = params.get('reason') === 'expired';
  const me = useMe();
  const sso = useSsoStatus();
  const ssoFailure = params.get('sso');
  // Already signed in (another tab, or a reload): go straight on.
  if (me.data && !expired) return <Navigate to={next} replace />;
  return (
    <PublicPage subtitle="Sign in to manage your tenants' CORS policies.">
      {ssoFailure && (
        <Alert color="red" variant="light" role="alert" title="Single sign-on failed">
          {ssoFailure === 'local-account'
            ? 'A local account already uses this email: sign in with its password.'
            : 'The identity provider did not sign you in. Try again.'}
        </Alert>
      )}
      {sso.data?.enabled && (
        <>
          <Button component="a" href={ssoLoginHref(next)} variant="filled">
            Sign in with SSO
          </Button>
          <Divider label="or with a local account" labelPosition="center" />
        </>
      )}
      <SignInForm expired={expired} onSignedIn={() => navigate(next, { replace: true })} />
    </PublicPage>
  );
}
