import { Navigate } from 'react-router';
import { useMe } from '../../features/auth/index.js';
import { isPlatformAdmin } from '../../features/auth/index.js';
import { UsersPanel } from '../../features/users/index.js';

export function UsersRoute() {
  const me = useMe();
  if (me.data && !isPlatformAdmin(me.data)) return <Navigate to="/tenants" replace />;
  return <UsersPanel />;
}
