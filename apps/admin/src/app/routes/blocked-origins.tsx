export function BlockedOriginsRoute() { return <p>todo</p>; }
