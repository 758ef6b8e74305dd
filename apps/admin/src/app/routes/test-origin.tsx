export function TestOriginRoute() { return <p>todo</p>; }
