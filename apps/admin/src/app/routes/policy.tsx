import { useSearchParams } from 'react-router';
// The editor page is not in features/policy/index.ts (owned by branch scale), so its route chunk stays its own.
// eslint-disable-next-line no-restricted-imports
import { PolicyEditorPage } from '../../features/policy/components/policy-editor-page.js';
import { useSlug } from './tenant-layout.js';

export function PolicyRoute() {
  const slug = useSlug();
  const [params, setParams] = useSearchParams();
  const allow = params.get('allow');
  return (
    <PolicyEditorPage
      key={slug}
      slug={slug}
      allowOrigin={allow}
      onAllowConsumed={() => {
        params.delete('allow');
        setParams(params, { replace: true });
      }}
    />
  );
}
