export function KeysRoute() { return <p>todo</p>; }
