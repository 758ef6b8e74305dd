import { ApiKeysPanel } from '../../features/api-keys/components/api-keys-panel.js';
import { useSlug } from './tenant-layout.js';

export function KeysRoute() {
  const slug = useSlug();
  return <ApiKeysPanel key={slug} slug={slug} />;
}
