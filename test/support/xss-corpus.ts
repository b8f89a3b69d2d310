/*
 * Our own XSS corpus: one or more payloads for each classic filter-evasion family, written for this
 * project. Browser tests post each as a comment and serve each through a malicious feed and article page,
 * then check in Chromium that no flag was set; unit tests run each through the comment renderer and the
 * ingest sanitizer.
 *
 * Each payload, when its code runs, sets `window.__xss_<id> = 1` (XSS_FLAG_PREFIX + id). Where the code
 * runs in a frame it sets the flag on `top` (srcdoc and javascript: frames share our origin). A frame with
 * an opaque origin (a data: URL document, an <object> or <embed> of one) cannot reach `top`, so it sets the
 * flag on its own window instead: check the flag in every frame (`page.frames()`), not only the main one.
 *
 * Some payloads need a click (links, form buttons) or focus; a browser test that wants to be thorough
 * clicks every link and button it finds. Several no longer run in current browsers at all (expression(),
 * isindex, UTF-7, javascript: in <base>): they are here because a sanitizer must still remove them, and a
 * feed can be read by other software than ours.
 */

export interface XssPayload {
  id: string
  family: string
  html: string
}

export const XSS_FLAG_PREFIX = '__xss_'

/** What a payload's code can use: `w` sets the flag on this window, `top` on the top one, `frame` on whichever it can reach. */
interface Js {
  flag: string
  w: string
  top: string
  frame: string
}

type Build = (js: Js) => string

const script = (code: string): string => `<script>${code}</script>`
const b64 = (s: string): string => btoa(s)
/** `&#106;&#97;…` with `;`, or zero-padded and without (`&#0000106&#0000097…`). */
const decimalEntities = (s: string, opts: { padded?: boolean } = {}): string =>
  [...s].map((c) => (opts.padded ? `&#${String(c.charCodeAt(0)).padStart(7, '0')}` : `&#${c.charCodeAt(0)};`)).join('')
const hexEntities = (s: string): string => [...s].map((c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`).join('')

const PAYLOADS: Array<[family: string, id: string, build: Build]> = [
  // <script> in its spellings
  ['script', 'script_plain', ({ w }) => script(w)],
  ['script', 'script_upper_attrs', ({ w }) => `<SCRIPT type="text/javascript">${w}</SCRIPT>`],
  ['script', 'script_split', ({ w }) => `<scr<script>ipt>${w}</scr</script>ipt>`], // a filter that strips once leaves <script>
  ['script', 'script_slash_attr', ({ w }) => `<script/x\n>${w}</script\n>`],
  ['script', 'script_unclosed', ({ w }) => `<script>${w}`],

  // event handlers that fire with no user action
  ['event', 'ev_img_onerror', ({ w }) => `<img src="x" onerror="${w}">`],
  ['event', 'ev_body_onload', ({ w }) => `<body onload="${w}">`], // merged into the page's own <body>
  ['event', 'ev_svg_onload', ({ w }) => `<svg onload="${w}"></svg>`],
  ['event', 'ev_details_ontoggle', ({ w }) => `<details open ontoggle="${w}"><summary>more</summary>x</details>`],
  ['event', 'ev_input_autofocus', ({ w }) => `<input autofocus onfocus="${w}">`],
  ['event', 'ev_video_source', ({ w }) => `<video><source onerror="${w}"></video>`],
  ['event', 'ev_audio_onerror', ({ w }) => `<audio src="x" onerror="${w}"></audio>`],
  ['event', 'ev_marquee_onstart', ({ w }) => `<marquee onstart="${w}">news</marquee>`],
  ['event', 'ev_iframe_onload', ({ w }) => `<iframe onload="${w}"></iframe>`],
  ['event', 'ev_animationstart', ({ w }) => `<style>@keyframes xss{}</style><b style="animation-name:xss" onanimationstart="${w}">x</b>`],

  // javascript: URLs and the ways the scheme is disguised
  ['js_url', 'js_a_href', ({ w }) => `<a href="javascript:${w}">click</a>`],
  ['js_url', 'js_iframe_src', ({ top }) => `<iframe src="javascript:${top}"></iframe>`],
  ['js_url', 'js_mixed_case', ({ w }) => `<a href="JaVaScRiPt:${w}">click</a>`],
  ['js_url', 'js_tab', ({ w }) => `<a href="java\tscript:${w}">click</a>`],
  ['js_url', 'js_newline', ({ top }) => `<iframe src="jav\nascr\r\nipt:${top}"></iframe>`],
  ['js_url', 'js_leading_space', ({ w }) => `<a href=" \t\u0001 javascript:${w}">click</a>`],
  ['js_url', 'js_percent', ({ flag }) => `<a href="javascript:%77indow.${flag}%3D1">click</a>`], // the body is percent-decoded before it runs

  // data: URLs
  ['data_url', 'data_iframe_html', ({ frame }) => `<iframe src="data:text/html,<script>${frame}</script>"></iframe>`],
  ['data_url', 'data_iframe_b64', ({ frame }) => `<iframe src="data:text/html;base64,${b64(script(frame))}"></iframe>`],
  ['data_url', 'data_script_src', ({ w }) => `<script src="data:text/javascript,${w}"></script>`],
  ['data_url', 'data_script_b64', ({ w }) => `<script src="data:;base64,${b64(w)}"></script>`],

  // SVG
  ['svg', 'svg_script', ({ w }) => `<svg><script>${w}</script></svg>`],
  ['svg', 'svg_script_entity', ({ flag }) => `<svg><script>&#x77;indow.${flag}&#x3D;1</script></svg>`], // SVG script text is not raw: entities decode
  ['svg', 'svg_animate_onbegin', ({ w }) => `<svg><animate onbegin="${w}" attributeName="x" dur="1s"/></svg>`],
  ['svg', 'svg_set_onbegin', ({ w }) => `<svg><set onbegin="${w}" attributeName="x" to="1"/></svg>`],
  ['svg', 'svg_a_xlink', ({ w }) => `<svg><a xlink:href="javascript:${w}"><text x="20" y="20">click</text></a></svg>`],
  ['svg', 'svg_animate_href', ({ w }) => `<svg><a><animate attributeName="href" values="javascript:${w}"/><text x="20" y="20">click</text></a></svg>`],
  ['svg', 'svg_foreign_object', ({ w }) => `<svg><foreignObject><img src="x" onerror="${w}"></foreignObject></svg>`],

  // MathML and the namespace confusion behind the mutation-XSS sanitizer bypasses
  ['mathml', 'math_mglyph_style', ({ w }) => `<math><mtext><table><mglyph><style><img src=x onerror="${w}">`],
  ['mathml', 'math_form_mglyph', ({ w }) => `<form><math><mtext></form><form><mglyph><style></math><img src=x onerror="${w}">`],
  ['mathml', 'math_href', ({ w }) => `<math href="javascript:${w}"><mi>click</mi></math>`],
  ['mathml', 'math_annotation_xml', ({ w }) => `<math><annotation-xml encoding="text/html"><img src=x onerror="${w}"></annotation-xml></math>`],

  // character references, decoded by the HTML parser before the URL or the handler is read
  ['entity', 'ent_hex_scheme', ({ w }) => `<a href="&#x6A;avascript:${w}">click</a>`],
  ['entity', 'ent_all_hex', ({ top }) => `<iframe src="${hexEntities('javascript:')}${top}"></iframe>`],
  ['entity', 'ent_colon', ({ w }) => `<a href="javascript&colon;${w}">click</a>`],
  ['entity', 'ent_decimal_no_semicolon', ({ w }) => `<a href="${decimalEntities('javascript:', { padded: true })}${w}">click</a>`],
  ['entity', 'ent_named_tab', ({ w }) => `<a href="jav&Tab;ascript&NewLine;:${w}">click</a>`],
  ['entity', 'ent_handler', ({ flag }) => `<img src=x onerror="${decimalEntities('window.')}${flag}&#61;1">`],

  // broken and malformed markup that browsers repair
  ['malformed', 'mal_img_slashes', ({ w }) => `<img/src="x"/onerror="${w}">`],
  ['malformed', 'mal_unclosed_tag', ({ w }) => `<img src=x onerror="${w}" //`],
  ['malformed', 'mal_double_lt', ({ w }) => `<<script>${w}//<</script>`],
  ['malformed', 'mal_unquoted', ({ w }) => `<img src=x onerror=${w}>`],
  ['malformed', 'mal_null_bytes', ({ w }) => `<img src=x o\u0000nerror="${w}"><a href="java\u0000script:${w}">click</a>`],
  ['malformed', 'mal_comment', ({ w }) => `<!--><img src=x onerror="${w}">-->`], // `<!-->` is an empty comment
  ['malformed', 'mal_quotes', ({ w }) => `<img """><script>${w}</script>">`],

  // raw-text elements: a parser that does not know they are raw sees a harmless attribute
  ['rawtext', 'raw_title', ({ w }) => `<title><img src=x onerror="${w}"></title>`],
  ['rawtext', 'raw_noscript', ({ w }) => `<noscript><p title="</noscript><img src=x onerror=${w}>"></noscript>`],
  ['rawtext', 'raw_xmp', ({ w }) => `<xmp><p title="</xmp><img src=x onerror=${w}>"></xmp>`],
  ['rawtext', 'raw_plaintext', ({ w }) => `<plaintext><img src=x onerror="${w}">`],
  ['rawtext', 'raw_svg_style', ({ w }) => `<svg></p><style><a id="</style><img src=1 onerror=${w}>">`],

  // leaving the context the text was put in
  ['breakout', 'brk_textarea', ({ w }) => `</textarea><script>${w}</script>`],
  ['breakout', 'brk_title', ({ w }) => `</title><script>${w}</script>`],
  ['breakout', 'brk_attr_double', ({ w }) => `"><img src=x onerror="${w}">`],
  ['breakout', 'brk_attr_single', ({ w }) => `'><svg onload="${w}">`],
  ['breakout', 'brk_comment', ({ w }) => `--><script>${w}</script><!--`],
  ['breakout', 'brk_cdata', ({ w }) => `]]><script>${w}</script><![CDATA[`],

  // CSS
  ['css', 'css_bg_url', ({ w }) => `<div style="background:url(javascript:${w})">x</div>`],
  ['css', 'css_expression', ({ w }) => `<div style="width:expression(${w})">x</div>`],
  ['css', 'css_escaped_expression', ({ w }) => `<div style="width:\\65xpr\\65ssion(${w})">x</div>`],
  ['css', 'css_import', ({ w }) => `<style>@import 'javascript:${w}';</style>`],
  ['css', 'css_link', ({ w }) => `<link rel="stylesheet" href="javascript:${w}">`],

  // client-side template syntax (harmless unless some framework evaluates our text; none may)
  ['template', 'tpl_angular', ({ w }) => `{{constructor.constructor('${w}')()}}`],
  ['template', 'tpl_dollar', ({ w }) => '$' + `{${w}}`],
  ['template', 'tpl_erb', ({ w }) => `<%= ${w} %>`],
  ['template', 'tpl_polymer', ({ w }) => `[[constructor.constructor('${w}')()]]`],

  // iframe srcdoc: a whole document in an attribute
  ['srcdoc', 'srcdoc_script', ({ top }) => `<iframe srcdoc="<script>${top}</script>"></iframe>`],
  ['srcdoc', 'srcdoc_entities', ({ top }) => `<iframe srcdoc="&lt;img src=x onerror=${top}&gt;"></iframe>`],
  ['srcdoc', 'srcdoc_svg', ({ top }) => `<iframe srcdoc="<svg onload=${top}>"></iframe>`],

  // <object> and <embed>
  ['embed', 'obj_data_js', ({ top }) => `<object data="javascript:${top}"></object>`],
  ['embed', 'obj_data_html', ({ frame }) => `<object type="text/html" data="data:text/html;base64,${b64(script(frame))}"></object>`],
  ['embed', 'embed_src_js', ({ top }) => `<embed src="javascript:${top}">`],
  ['embed', 'embed_svg', ({ frame }) => `<embed type="image/svg+xml" src="data:image/svg+xml;base64,${b64(`<svg xmlns="http://www.w3.org/2000/svg" onload="${frame}"/>`)}">`],

  // forms (need a click; a sanitizer must remove them anyway)
  ['form', 'form_action', ({ w }) => `<form action="javascript:${w}"><input type="submit" value="send"></form>`],
  ['form', 'form_button_formaction', ({ w }) => `<form><button formaction="javascript:${w}">send</button></form>`],
  ['form', 'form_input_formaction', ({ w }) => `<form><input type="submit" formaction="javascript:${w}" value="send"></form>`],
  ['form', 'form_button_outside', ({ w, flag }) => `<form id="${flag}_f"></form><button form="${flag}_f" formaction="javascript:${w}">send</button>`],

  // <meta> and <base>
  ['meta_base', 'meta_refresh_js', ({ w }) => `<meta http-equiv="refresh" content="0;url=javascript:${w}">`],
  ['meta_base', 'meta_refresh_data', ({ frame }) => `<meta http-equiv="refresh" content="0;url=data:text/html;base64,${b64(script(frame))}">`],
  ['meta_base', 'base_href_js', ({ w }) => `<base href="javascript:${w};//"><a href="x">click</a>`],
  ['meta_base', 'meta_charset_utf7', ({ w }) => `<meta charset="utf-7">+ADw-script+AD4-${w}+ADw-/script+AD4-`],

  // elements browsers dropped or never had, which old filters did not list
  ['obsolete', 'old_isindex', ({ w }) => `<isindex type="image" src="x" onerror="${w}" action="javascript:${w}">`],
  ['obsolete', 'old_keygen', ({ w }) => `<keygen autofocus onfocus="${w}">`],
  ['obsolete', 'old_bgsound', ({ w }) => `<bgsound src="javascript:${w}"><frameset onload="${w}"></frameset>`],

  // Markdown, for the comment renderer
  ['markdown', 'md_js_link', ({ w }) => `[click](javascript:${w})`],
  ['markdown', 'md_entity_link', ({ w }) => `[click](&#x6A;avascript:${w})`],
  ['markdown', 'md_data_link', ({ frame }) => `[click](data:text/html;base64,${b64(script(frame))})`],
  ['markdown', 'md_attr_breakout', ({ w }) => `[click](https://ok.example/"onmouseover="${w}) and https://ok.example/"onfocus="${w}"autofocus="`],
  ['markdown', 'md_html_in_text', ({ w }) => `[<img src=x onerror="${w}">](https://ok.example/) **<svg onload="${w}">** \`</code><script>${w}</script>\``],
  ['markdown', 'md_angle_autolink', ({ w }) => `<javascript:${w}> ![x](javascript:${w})`],
]

/** The whole corpus, in a fixed order. */
export function xssPayloads(): XssPayload[] {
  return PAYLOADS.map(([family, id, build]) => {
    const flag = XSS_FLAG_PREFIX + id
    const js: Js = {
      flag,
      w: `window.${flag}=1`,
      top: `top.${flag}=1`,
      frame: `try{top.${flag}=1}catch(e){window.${flag}=1}`,
    }
    return { id, family, html: build(js) }
  })
}

/** Payloads to type into a comment box: all of them (a comment is text; none is refused for its content). */
export function xssPlainTextPayloads(): XssPayload[] {
  return xssPayloads()
}
