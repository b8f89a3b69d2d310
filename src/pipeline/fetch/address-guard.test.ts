import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAllowedHost, isPrivateAddress } from './address-guard.js'

test('isPrivateAddress', async (t) => {
  const cases: [ip: string, isPrivate: boolean, why: string][] = [
    // IPv4 public
    ['8.8.8.8', false, 'public v4'],
    ['93.184.216.34', false, 'public v4'],
    ['172.15.255.255', false, 'just below 172.16/12'],
    ['172.32.0.0', false, 'just above 172.16/12'],
    ['100.63.255.255', false, 'just below CGNAT'],
    ['100.128.0.0', false, 'just above CGNAT'],
    ['198.20.0.0', false, 'just above 198.18/15'],
    ['223.255.255.255', false, 'last unicast before multicast'],
    // IPv4 private and special
    ['127.0.0.1', true, 'loopback'],
    ['127.255.255.254', true, 'loopback /8'],
    ['10.0.0.1', true, '10/8'],
    ['172.16.0.1', true, '172.16/12 start'],
    ['172.31.255.255', true, '172.16/12 end'],
    ['192.168.1.1', true, '192.168/16'],
    ['169.254.169.254', true, 'link-local (cloud metadata)'],
    ['0.0.0.0', true, 'unspecified'],
    ['0.1.2.3', true, '0/8'],
    ['100.64.0.1', true, 'CGNAT'],
    ['100.127.255.255', true, 'CGNAT end'],
    ['198.18.0.1', true, 'benchmark'],
    ['198.19.255.255', true, 'benchmark end'],
    ['224.0.0.1', true, 'multicast'],
    ['239.255.255.250', true, 'multicast (SSDP)'],
    ['255.255.255.255', true, 'broadcast'],
    ['240.0.0.1', true, 'reserved'],
    ['192.0.2.1', true, 'documentation'],
    // odd IPv4 spellings
    ['2130706433', true, '127.0.0.1 as one decimal number'],
    ['0x7f000001', true, '127.0.0.1 as one hex number'],
    ['0x7f.0.0.1', true, 'hex first octet'],
    ['0177.0.0.1', true, 'octal first octet'],
    ['127.1', true, 'two-part form'],
    ['10.1', true, 'two-part 10/8'],
    ['127.0.0.1.', true, 'trailing dot'],
    ['134744072', false, '8.8.8.8 as one number'],
    // IPv6 public
    ['2606:4700:4700::1111', false, 'public v6'],
    ['2a00:1450:4001:82b::200e', false, 'public v6'],
    ['[2606:4700:4700::1111]', false, 'bracketed public v6'],
    ['::ffff:8.8.8.8', false, 'mapped public v4'],
    ['64:ff9b::8.8.8.8', false, 'NAT64 of public v4'],
    ['2002:0808:0808::1', false, '6to4 of public v4'],
    // IPv6 private and special
    ['::1', true, 'v6 loopback'],
    ['0:0:0:0:0:0:0:1', true, 'v6 loopback long form'],
    ['[::1]', true, 'bracketed loopback'],
    ['::', true, 'v6 unspecified'],
    ['fe80::1', true, 'link-local'],
    ['fe80::1%eth0', true, 'link-local with zone'],
    ['febf::1', true, 'link-local /10 end'],
    ['fc00::1', true, 'unique-local fc'],
    ['fd12:3456:789a::1', true, 'unique-local fd'],
    ['ff02::1', true, 'multicast'],
    ['2001:db8::1', true, 'documentation'],
    ['::ffff:127.0.0.1', true, 'mapped loopback, dotted'],
    ['::ffff:7f00:1', true, 'mapped loopback, hex'],
    ['::ffff:10.0.0.1', true, 'mapped 10/8'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', true, 'mapped metadata address, long form'],
    ['::127.0.0.1', true, 'compatible loopback'],
    ['::ffff:0:192.168.0.1', true, 'translated private'],
    ['64:ff9b::10.0.0.1', true, 'NAT64 of 10/8'],
    ['64:ff9b::7f00:1', true, 'NAT64 of loopback, hex'],
    ['64:ff9b:1::1', true, 'local-use NAT64'],
    ['2002:7f00:0001::1', true, '6to4 of loopback'],
    ['100::1', true, 'discard-only'],
    // not addresses at all: fail closed
    ['', true, 'empty'],
    ['example.com', true, 'hostname'],
    ['256.1.1.1', true, 'octet out of range'],
    ['1:2:3:4:5:6:7:8:9', true, 'too many groups'],
    ['1::2::3', true, 'two ::'],
  ]
  for (const [ip, expected, why] of cases) {
    await t.test(`${ip || '(empty)'}: ${why}`, () => assert.equal(isPrivateAddress(ip), expected))
  }
})

test('isAllowedHost', async (t) => {
  const cases: [host: string, port: string, allow: string[], expected: boolean][] = [
    ['localhost', '80', ['localhost'], true],
    ['LOCALHOST', '8080', ['localhost'], true],
    ['localhost.', '80', ['localhost'], true],
    ['127.0.0.1', '8081', ['127.0.0.1:8081'], true],
    ['127.0.0.1', '8082', ['127.0.0.1:8081'], false],
    ['127.0.0.1', '8081', ['127.0.0.1'], true],
    ['feeds.internal', '443', ['feeds.internal:443', 'other'], true],
    ['other.internal', '443', ['feeds.internal'], false],
    ['sub.feeds.internal', '443', ['feeds.internal'], false],
    ['::1', '80', ['[::1]'], true],
    ['[::1]', '8080', ['[::1]:8080'], true],
    ['::1', '8081', ['[::1]:8080'], false],
    ['0:0::1', '80', ['::1'], true],
    ['xn--bcher-kva.example', '80', ['bücher.example'], true],
    ['localhost', '80', [], false],
    ['localhost', '80', ['', 'localhost:notaport'], false],
  ]
  for (const [host, port, allow, expected] of cases) {
    await t.test(`${host}:${port} in ${JSON.stringify(allow)}`, () => assert.equal(isAllowedHost(host, port, allow), expected))
  }
})
