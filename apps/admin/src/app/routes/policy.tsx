import { useSearchParams } from 'react-router';
import { SaveAsCandidateButton } from '../../features/candidate/index.js';
import { PolicyEditorPage } from '../../features/policy/index.js';
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
      candidateAction={(settings, disabled) => (
        <SaveAsCandidateButton slug={slug} settings={settings} disabled={disabled} />
      )}
    />
  );
}
