import { ApiKeysPanel } from '../../features/api-keys/index.js';
import { useSlug } from './tenant-layout.js';

export function KeysRoute() {
  const slug = useSlug();
  return <ApiKeysPanel key={slug} scope={slug} />;
}
