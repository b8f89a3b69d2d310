/**
 * Writes the fixtures that are not UTF-8 text, so they can be reviewed here as source:
 *   node --import tsx src/pipeline/parse/testdata/make-binary-fixtures.ts
 */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'

const here = dirname(fileURLToPath(import.meta.url))
const write = (name: string, bytes: Uint8Array): void => writeFileSync(join(here, name), bytes)

const windows1252 = `<?xml version="1.0" encoding="windows-1252"?>
<rss version="2.0">
  <channel>
    <title>Café Society – Notes</title>
    <link>https://cafe-society.example/</link>
    <description>“Good coffee” costs 3 € — sometimes more.</description>
    <item>
      <title>The barista’s “secret” blend</title>
      <link>https://cafe-society.example/blend</link>
      <description>Naïve tasters prefer it… œuvre of a crème brûlée lover.</description>
    </item>
  </channel>
</rss>
`
write('windows-1252.xml', iconv.encode(windows1252, 'windows-1252'))

const japanese = `<?xml version="1.0"?>
<rss version="2.0">
  <channel>
    <title>港町ニュース</title>
    <link>https://minato-news.example/</link>
    <description>港町の毎日のニュースをお届けします。地域の出来事、天気、イベント情報など。</description>
    <item>
      <title>新しいフェリーターミナルが完成しました</title>
      <link>https://minato-news.example/2024/ferry</link>
      <description>新しいフェリーターミナルが本日完成し、記念式典が行われました。多くの市民が集まり、完成を祝いました。</description>
    </item>
  </channel>
</rss>
`
write('shift-jis-undeclared.xml', iconv.encode(japanese, 'shift_jis'))

const utf16 = `<?xml version="1.0" encoding="UTF-16"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Ελληνικά νέα</title>
  <link href="https://greek-news.example/"/>
  <entry>
    <title>Καλημέρα</title>
    <id>urn:uuid:6f1c0b7e-2c1a-4a51-9d0e-3f0d2c7b9a10</id>
    <updated>2024-07-01T06:00:00+03:00</updated>
  </entry>
</feed>
`
write('utf16le-bom.xml', new Uint8Array([0xff, 0xfe, ...iconv.encode(utf16, 'utf-16le')]))
