export function UsersRoute() { return <p>todo</p>; }
