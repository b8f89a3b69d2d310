// The peer: a bare Hono hello-world on the same @hono/node-server, plain JS (no loader), in its own process.
import { Hono } from 'hono'
import { serve } from '@hono/node-server'

const app = new Hono()
app.get('/', (c) => c.text('Hello Hono!'))
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`hello on http://127.0.0.1:${info.port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
