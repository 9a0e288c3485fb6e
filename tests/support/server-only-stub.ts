// Outside Next's react-server build, `server-only` throws on import. Tests and the CLI run lib/
// code directly, so they resolve it to this empty module instead.
export {};
