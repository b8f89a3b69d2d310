/** The whole stylesheet: small, no build step, served with a content hash so it can be cached forever. */
export const STYLE_CSS = `
:root{--bg:#fbfaf8;--fg:#1d1d1f;--muted:#5f6368;--line:#e3e1dc;--accent:#0b57d0;--accent-fg:#fff;--card:#fff;--warn:#8a1c1c;--warn-bg:#fdecea;--ok-bg:#e7f4ea;--tag:#eef2fb;
--serif:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,serif;--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans JP",sans-serif}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#131314;--fg:#e8e6e3;--muted:#a8a5a0;--line:#3a3936;--accent:#8ab4f8;--accent-fg:#131314;--card:#1c1c1e;--warn:#f5b7b1;--warn-bg:#3a1d1b;--ok-bg:#1d3324;--tag:#22283a;--mark:#5c4d00;color-scheme:dark}}
:root[data-theme=dark]{--bg:#131314;--fg:#e8e6e3;--muted:#a8a5a0;--line:#3a3936;--accent:#8ab4f8;--accent-fg:#131314;--card:#1c1c1e;--warn:#f5b7b1;--warn-bg:#3a1d1b;--ok-bg:#1d3324;--tag:#22283a;--mark:#5c4d00;color-scheme:dark}
:root{color-scheme:light dark;--mark:#fff3b0}:root[data-theme=light]{color-scheme:light}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 var(--sans)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--card);padding:.5rem;z-index:9}
.wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);background:var(--card)}
header.site .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem;padding-top:.6rem;padding-bottom:.6rem}
.brand{font:700 1.35rem/1 var(--serif);color:var(--fg);text-decoration:none;letter-spacing:-.01em}
nav.main{display:flex;gap:1rem;flex-wrap:wrap}nav.main a{color:var(--fg);text-decoration:none;font-weight:500}nav.main a[aria-current=page]{text-decoration:underline;text-underline-offset:.3em}
form.search{margin-left:auto;display:flex;gap:.4rem;flex:1 1 16rem;max-width:26rem}
input[type=search],input[type=url],input[type=text],input[type=file]{flex:1;min-width:0;padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg);font:inherit}
button,.button{padding:.45rem .8rem;border:1px solid var(--accent);border-radius:.4rem;background:var(--accent);color:var(--accent-fg);font:inherit;font-weight:600;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:transparent;color:var(--accent)}button.danger{background:transparent;border-color:var(--warn);color:var(--warn)}
main{padding:1.5rem 0 3rem}
h1,h2,h3{font-family:var(--serif);line-height:1.2;letter-spacing:-.01em}
.page-title{font-size:1.6rem;margin:.2rem 0 1rem}
.layout{display:grid;grid-template-columns:minmax(0,1fr);gap:2rem}
@media (min-width:60rem){.layout{grid-template-columns:minmax(0,1fr) 18rem}}
.cards{list-style:none;margin:0;padding:0;display:grid;gap:1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1rem 1.1rem;display:grid;grid-template-columns:minmax(0,1fr);gap:.35rem}
.card.has-image{grid-template-columns:minmax(0,1fr) 7.5rem}
.card h2,.card h3{margin:0;font-size:1.15rem}.card h2 a,.card h3 a{color:var(--fg);text-decoration:none}.card h2 a:hover,.card h3 a:hover{text-decoration:underline}
.card p.excerpt{margin:0;color:var(--muted);display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.card img{width:7.5rem;height:5.5rem;object-fit:cover;border-radius:.4rem;grid-row:1/span 3;grid-column:2}
.meta{font-size:.85rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:.15rem .5rem;align-items:baseline}
.meta a{color:inherit}.meta .source{font-weight:600;color:var(--fg)}
.meta>*+*::before{content:"·";margin-right:.5rem;color:var(--muted)}
.tags{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.75rem 0}
.tags a{background:var(--tag);color:var(--fg);text-decoration:none;border-radius:1rem;padding:.15rem .65rem;font-size:.85rem}
aside.side section{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1rem;margin-bottom:1rem}
aside.side h2{font-size:1rem;margin:0 0 .5rem}aside.side ul{margin:0;padding-left:1.1rem}
.pager{margin-top:1.5rem;display:flex;justify-content:center}
article.story{max-width:42rem;margin:0 auto}
article.story h1{font-size:clamp(1.6rem,4vw,2.4rem);margin:.4rem 0 .8rem}
article.story .lede{font-size:1.1rem;color:var(--muted)}
.byline{margin:.75rem 0;padding:.75rem 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
.byline .author{font-weight:600}.byline .bio{margin:.25rem 0 0;color:var(--muted);font-size:.92rem}
.body{font:1.125rem/1.7 var(--serif)}
.body img{max-width:100%;height:auto}
.body blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--line);color:var(--muted)}
.body pre{overflow:auto;background:var(--card);padding:.75rem;border-radius:.4rem;font-size:.9rem}
.body table{border-collapse:collapse;display:block;overflow:auto}.body td,.body th{border:1px solid var(--line);padding:.3rem .5rem}
figure.photo{margin:1rem 0}figure.photo img{width:100%;height:auto;border-radius:.4rem;background:var(--line)}
figure.photo figcaption{font-size:.88rem;color:var(--muted);margin-top:.35rem}figure.photo .credit{font-style:italic}
.translations{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.6rem .9rem;margin:1rem 0}
.translations ul{display:inline;list-style:none;padding:0;margin:0}.translations li{display:inline;margin-right:.75rem}
.notice{padding:.6rem .9rem;border-radius:.4rem;margin:0 0 1rem;background:var(--ok-bg)}.notice.error{background:var(--warn-bg);color:var(--warn)}
.original{margin-top:1.5rem}details.cleanup{font-size:.88rem;color:var(--muted);margin-top:1rem}details.cleanup summary{cursor:pointer}
section.related{margin-top:2.5rem;border-top:2px solid var(--fg);padding-top:1rem}section.related>h2{margin-top:0}
table.sources{width:100%;border-collapse:collapse;background:var(--card);font-size:.92rem}
table.sources th,table.sources td{border-bottom:1px solid var(--line);padding:.55rem .5rem;text-align:left;vertical-align:top}
table.sources .err{color:var(--warn)}table.sources td:first-child{overflow-wrap:anywhere}a.button.danger{background:transparent;border-color:var(--warn);color:var(--warn)}table.sources form{display:inline}
.admin-forms{display:grid;gap:1rem;margin-bottom:1.5rem}@media (min-width:50rem){.admin-forms{grid-template-columns:1fr 1fr}}
.admin-forms form{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.admin-forms label{flex-basis:100%;font-weight:600}
.empty{color:var(--muted);padding:2rem;text-align:center;background:var(--card);border:1px dashed var(--line);border-radius:.6rem}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.85rem;padding:1.5rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
/* revisions: insertions underlined, deletions struck through, so colour is never the only cue */
ins{text-decoration:underline;text-decoration-thickness:.12em;text-underline-offset:.15em;background:var(--ok-bg);color:inherit}
del{text-decoration:line-through;text-decoration-thickness:.1em;background:var(--warn-bg);color:inherit}
.changes .revisions{list-style:none;padding:0;margin:1.5rem 0 0;max-width:42rem}
.changes .revision{border-top:1px solid var(--line);padding:1rem 0 .5rem}.changes .revision h2{font-size:1.15rem;margin:0 0 .35rem}
.changes .revision h2 .meta{display:inline;font-family:var(--sans);font-weight:400}
.diff-title{font:600 1.15rem/1.4 var(--serif)}.diff-title .label{font:400 .85rem var(--sans);color:var(--muted)}
.diff-body{font:1.05rem/1.65 var(--serif)}.diff-para.same{color:var(--muted)}.diff-skip{justify-content:center}
.diff-legend{margin-bottom:0}.changes .pager{gap:.75rem}
.admin-actions{margin-top:.5rem}
.site-rule .field{margin:.8rem 0}.site-rule textarea{width:100%;max-width:40rem;padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg);font:.95rem/1.4 ui-monospace,monospace}
.site-rule [aria-invalid=true]{border-color:var(--warn)}.site-rule ul.err{color:var(--warn);margin:.3rem 0;padding-left:1.2rem}
/* stories: full coverage, top stories, related labels */
.card-label{font-size:.75rem;font-weight:600;letter-spacing:.02em;text-transform:uppercase;color:var(--muted)}
.republished,.coverage-link{margin:.3rem 0;font-size:.95rem}.coverage-link a{font-weight:600}
.story-counts{margin-bottom:1.25rem}.story-page section{margin-top:1.75rem}.story-page h2{font-size:1.25rem}
.timeline ol{list-style:none;padding:0;margin:0;border-left:2px solid var(--line)}
.timeline li{padding:.2rem 0 .2rem .9rem;font-size:.92rem}.timeline .source{font-weight:600}.timeline time{color:var(--muted)}
.badge{display:inline-block;font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;padding:.05rem .45rem;border-radius:.3rem;background:var(--ok-bg)}
.provenance p{margin:.25rem 0}details.copies{margin-top:.4rem}details.copies summary{cursor:pointer;font-weight:600}
.copy-list{list-style:none;padding:0;margin:.5rem 0 0;display:grid;gap:.75rem}.copy{border-left:3px solid var(--line);padding-left:.75rem}.copy h3{font-size:1rem;margin:.1rem 0}
.changes-list{margin:.3rem 0;padding-left:1.1rem;font-size:.92rem}.changes-list .flag{color:var(--warn)}
mark.injected{background:var(--warn-bg);color:var(--warn);padding:0 .2rem;border-radius:.2rem;margin-right:.3rem;outline:1px dashed var(--warn)}
.why-row{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:baseline}.why-row h3{font-size:.95rem;margin:.3rem 0;min-width:9rem}
.terms{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.3rem 0}.terms li{background:var(--tag);border-radius:1rem;padding:.1rem .6rem;font-size:.88rem}
form.inline{display:inline-block;margin-top:.4rem}
.story-admin form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.story-admin input[type=number]{width:8rem;padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg);font:inherit}
.top-stories{margin-bottom:2rem}.story-card h2{font-size:1.2rem}
/* AI panel */
section.ai-panel{margin-top:2rem;padding:1rem 1.25rem;border:1px solid var(--line);border-radius:.6rem;background:var(--card)}
section.ai-panel>h2{margin:0 0 .5rem;font-size:1.2rem}section.ai-panel h3{font-size:1rem;margin:1.1rem 0 .35rem}
.ai-summary{margin:.25rem 0}.ai-points{margin:.25rem 0;padding-left:1.2rem}.ai-points li{margin:.2rem 0}
dl.ai-entities{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:.25rem 0}dl.ai-entities dt{font-weight:600;color:var(--muted)}dl.ai-entities dd{margin:0}
form.ai-ask,form.ai-translate{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}form.ai-ask input{flex:1 1 16rem}
select{padding:.4rem .5rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg);font:inherit}
.ai-answer{margin-top:.6rem}.ai-quotes{margin:.25rem 0;padding-left:1.2rem}.ai-quotes a{color:inherit;text-decoration:none}.ai-quotes a:hover q{text-decoration:underline}
.ai-status{font-size:.9rem;color:var(--muted);margin:.35rem 0}.ai-status.failed{color:var(--warn)}form.inline{display:inline}
.ai-optout{margin:.25rem 0;color:var(--muted)}
.body mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:.15em}
.translated-note{font-size:.9rem;color:var(--muted)}
nav.account{display:flex;gap:.75rem;align-items:center;margin-left:auto}nav.account form{margin:0}
button.link{background:none;border:0;padding:0;color:var(--accent);font:inherit;text-decoration:underline;cursor:pointer}
.auth{max-width:28rem}.auth-form{display:grid;gap:.35rem;margin:1rem 0}.auth-form label{font-weight:600;margin-top:.4rem}.auth-form .hint,.comment-form .hint{font-weight:400;color:var(--muted);font-size:.88rem}
.auth-form input,.comment-form textarea,.mod-actions input{padding:.45rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg);font:inherit}
.auth-form button,.comment-form button{justify-self:start;margin-top:.6rem}
.field-error{color:var(--warn);margin:.1rem 0;font-size:.92rem}[aria-invalid=true]{border-color:var(--warn)!important}
.comments{max-width:42rem;margin:2.5rem auto 1rem;border-top:1px solid var(--line);padding-top:1rem}
.comment-list,.replies,.mod-queue{list-style:none;padding:0;margin:0}.replies{margin-left:1.5rem;border-left:2px solid var(--line);padding-left:1rem}
.comment{margin:1rem 0}.comment .meta{display:flex;flex-wrap:wrap;gap:.5rem;font-size:.9rem;color:var(--muted)}.comment .meta strong{color:var(--fg)}
.comment.held,.comment.hidden{opacity:.75}.comment .status{color:var(--warn)}.comment.deleted .meta{font-style:italic}
.comment-body p{margin:.3rem 0}.comment-body blockquote{margin:.4rem 0;padding-left:.8rem;border-left:3px solid var(--line);color:var(--muted)}.comment-body code{font-size:.9em}
.comment-actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:baseline;font-size:.9rem}.comment-actions form{margin:0}.comment-actions button{background:none;border:0;padding:0;color:var(--accent);text-decoration:underline;cursor:pointer;font:inherit}
.comment-form{display:grid;gap:.35rem;margin:1rem 0}.comment-form textarea{width:100%;resize:vertical}
.comment-count{color:var(--muted)}
.mod-item .meta{display:flex;flex-wrap:wrap;gap:.5rem}.mod-item{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0;background:var(--card)}.mod-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.reports{font-size:.9rem;color:var(--muted)}
table.users{border-collapse:collapse;width:100%;margin-top:1rem}table.users th,table.users td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
/* display settings, keyboard shortcuts, offline */
form.prefs{display:flex;gap:.4rem;align-items:center}form.prefs select{padding:.3rem .4rem;font-size:.9rem}form.prefs button{padding:.3rem .6rem;font-size:.9rem}
li.card[data-kb-current]{outline:3px solid var(--accent);outline-offset:2px}
dialog.shortcuts{max-width:min(26rem,calc(100vw - 2rem));border:1px solid var(--line);border-radius:.6rem;background:var(--card);color:var(--fg);padding:1.25rem 1.5rem}
dialog.shortcuts::backdrop{background:rgb(0 0 0 / .45)}dialog.shortcuts h2{margin:0 0 .75rem;font-size:1.2rem}
dialog.shortcuts dl{display:grid;grid-template-columns:max-content 1fr;gap:.45rem 1rem;margin:0 0 .75rem}dialog.shortcuts dt{white-space:nowrap}dialog.shortcuts dd{margin:0}
kbd{font:600 .85rem ui-monospace,monospace;border:1px solid var(--line);border-bottom-width:2px;border-radius:.3rem;padding:.05rem .4rem;background:var(--bg)}
.offline-list{padding-left:1.2rem}.offline-list li{margin:.35rem 0}
footer.site button.link{color:var(--muted)}
/* small screens: nothing wider than the viewport */
img,video,iframe{max-width:100%}.body,.card,.comment-body,table.sources td{overflow-wrap:anywhere}
@media (max-width:40rem){header.site .wrap{gap:.5rem .9rem}form.search{flex-basis:100%;max-width:none;margin-left:0}nav.account{margin-left:auto}
.card.has-image{grid-template-columns:minmax(0,1fr) 5.5rem}.card img{width:5.5rem;height:4.25rem}main{padding-top:1rem}
table.sources,table.users{display:block;overflow-x:auto}.replies{margin-left:.5rem;padding-left:.6rem}}
.home-sections{margin-top:2.5rem}.home-sections>h2{border-top:2px solid var(--fg);padding-top:1rem}
.home-section{margin:1.25rem 0}.home-section>h3{margin:0 0 .5rem;font-size:1.05rem}.home-section>h3 a{color:var(--fg)}
.home-section .cards .card{padding:.7rem .9rem}.home-section p.more{margin:.4rem 0 0;font-size:.9rem}
@media (min-width:60rem){.home-sections{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 1.5rem}.home-sections>h2{grid-column:1/-1}}
.search-form fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .9rem;display:flex;flex-wrap:wrap;gap:.6rem 1rem}
.search-form legend{padding:0 .3rem;color:var(--muted)}.search-form input[type=search]{min-width:min(28rem,100%)}
.save-search{margin:.8rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.related-page{border-top:none;margin-top:0}a.author{color:inherit}
`
