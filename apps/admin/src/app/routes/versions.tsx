export function VersionsRoute() { return <p>todo</p>; }
