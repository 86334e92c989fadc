"""Line patterns for page chrome, each compiled once, on first use.

Every pattern here describes a WHOLE line (it is used with ``fullmatch`` or is anchored at
both ends) unless its name says ``MARKER``: a body sentence that merely mentions "print" or
"copyright" must never look like chrome. Patterns are grouped by the rule family that owns
them; :mod:`normalize.passes.chrome` decides, with position and context, what to remove.

Strength levels returned by :func:`classify` (why three: precision comes first):

* ``STRONG``: the line cannot be article text (``A | A | A``, ``IMG_2031.JPG``,
  ``湘ICP备12345678号``); removed wherever it is.
* ``ZONE``: chrome in the header or footer zone, but a short line that could be a caption
  or sub-heading when it sits between paragraphs (``Source: Hunan Daily``, ``Home``).
* ``BLOCK``: only chrome when it sits in a block with a STRONG line (contact lines such as
  ``Tel: 0731-1234567`` end public notices too).

Compiling all of them costs ~45 ms, a tenth of a one-file ``mtnorm check``, so each
``NAME = _lazy(...)`` is compiled when ``chrome_patterns.NAME`` is first read (module
``__getattr__``) and then stays a plain module attribute: same pattern, same flags, only
the moment changes. The line-start rules are compiled at the first line the chrome pass
looks at (:func:`anchored_gate` tests prefixes against them); the others only when a line
that passed the cheap gates needs them, which in most documents is never. Commands and
selections that do not run the chrome pass compile none.
"""

from __future__ import annotations

import functools
import re as _re
from types import ModuleType
from typing import Any, Final, NamedTuple, cast

import regex


class _Source(NamedTuple):
    """A pattern not compiled yet: what ``regex.compile`` (or ``engine.compile``) gets."""

    pattern: str
    flags: int = 0
    engine: ModuleType = regex


def _lazy(pattern: str, flags: int = 0, engine: ModuleType = regex) -> regex.Pattern[str]:
    """Declare a module-level pattern, compiled on first use (see ``__getattr__`` below).

    Until the end of this module the name holds the source, so the patterns built from
    others can still read ``.pattern`` and ``.flags``."""
    return cast("regex.Pattern[str]", _Source(pattern, flags, engine))


STRONG: Final = 3
ZONE: Final = 2
BLOCK: Final = 1

#: Lines longer than this are never classified as chrome by pattern (only checked as mixed).
MAX_CHROME_CHARS: Final = 500

_I = regex.IGNORECASE | regex.VERSION0
# Separators between menu items, toggles and fields.
_SEP = r"[\s|｜/\\·•,，、;；]"

# --- C001 breadcrumbs and navigation rows -------------------------------------------------
_HOME = r"(?:home(?:\s*page)?|homepage|index|front page|网站首页|首页|主页)"
_ARROW = r"(?:>>|>|»|›|→|＞|》)"
BREADCRUMB_LEAD = _lazy(
    r"\s*(?:you\s+are\s+(?:here|now\s+at|at)|your\s+(?:current\s+)?(?:location|position)"
    r"|(?:the\s+)?current\s+(?:location|position|page|column)|当前位置|您的位置|您现在的位置"
    r"|你的位置|你现在的位置|所在位置|现在位置|当前栏目)\s*[:：]?.{0,200}",
    _I,
)
BREADCRUMB_LEAD_WEAK = _lazy(r"\s*(?:location|position)\s*[:：].{0,150}", _I)
BREADCRUMB_HOME = _lazy(rf"\s*{_HOME}\s*{_ARROW}\s*[^.!?。！？]{{1,160}}", _I)
BREADCRUMB_TRAIL = _lazy(
    rf"\s*[^\s.!?。！？>»›→＞》][^.!?。！？>»›→＞》]{{0,40}}"
    rf"(?:\s*{_ARROW}\s*[^.!?。！？>»›→＞》]{{1,40}}){{2,8}}\s*",
    _I,
)
_NAV_WORD = (
    r"(?:home(?:\s*page)?|homepage|about\s+us|contact\s+us|site\s*map|disclaimer"
    r"|privacy(?:\s+policy)?|legal\s+notice|terms\s+of\s+use|(?:friendly\s+)?links|help"
    r"|log\s*in|login|sign\s+in|sign\s+up|register|mobile\s+version|rss|advanced\s+search"
    r"|search|feedback|set\s+as\s+home\s*page|add\s+to\s+favou?rites|webmaster\s+tools"
    r"|accessibility|barrier[- ]free|elderly\s+mode|care\s+mode|english\s+version"
    r"|网站首页|首页|关于我们|联系我们|网站地图|免责声明|隐私政策|设为首页|加入收藏|无障碍"
    r"|登录|注册|手机版|长者模式|关怀模式|English)"
)
NAV_ROW = _lazy(
    rf"[\s\[【]*{_NAV_WORD}(?:[\]】]?{_SEP}+[\[【]?{_NAV_WORD}){{1,20}}[\]】\s]*", _I
)
NAV_HOME_ROW = _lazy(
    rf"[\s\[【]*{_HOME}[\]】]?(?:\s*[|｜]\s*[^|｜.!?。！？]{{1,30}}){{2,15}}\s*", _I
)
NAV_SINGLE = _lazy(rf"\s*[\[【]?{_NAV_WORD}[\]】]?\s*", _I)

# --- C002 font size and page tools ---------------------------------------------------------
FONT_TOGGLE = _lazy(
    r"\s*(?:[AT大中小][+\-]?(?:\s*[|｜/·]\s*[AT大中小][+\-]?)+"
    r"|A[+\-]?(?:\s+A[+\-]?){2,})\s*"
)
_TOOL = (
    r"(?:print(?:\s+this\s+(?:page|article))?|close(?:\s+(?:the\s+)?(?:window|this\s+page|page))?"
    r"|download|comments?|share|favou?rites?|collect(?:ion)?|bookmark|e-?mail(?:\s+this)?|save"
    r"|recommend|report\s+errors?|error\s+correction|back\s+to\s+top|return\s+to\s+top|top"
    r"|return|back|font(?:\s+size)?|size|large|medium|small|big|bigger|smaller|default"
    r"|increase|decrease|reset|listen|read\s+aloud|打印(?:本页)?|关闭(?:窗口|本页)?|收藏|分享"
    r"|返回顶部|返回|字号|字体|默认|大|中|小|纠错|朗读)"
)
# Tool names that are chrome even alone on their line.
_TOOL_ALONE = (
    r"(?:print\s+this\s+(?:page|article)|close\s+(?:the\s+)?(?:window|this\s+page)"
    r"|back\s+to\s+top|return\s+to\s+top|打印本页|关闭窗口|返回顶部|\[\s*print\s*\]"
    r"|\[\s*close\s*\]|【\s*(?:print|close|打印|关闭)\s*】)"
)
_TOOL_ALONE = rf"(?:{_TOOL_ALONE}|【\s*{_TOOL}\s*】|\[\s*{_TOOL}\s*\])"
_TOOL_PUNCT = r"[\s\[\]【】()（）|｜/:：,，·•]"
TOOL_ROW = _lazy(
    rf"{_TOOL_PUNCT}*{_TOOL}(?:{_TOOL_PUNCT}+{_TOOL}|(?<=[】\]])\s*{_TOOL}){{1,12}}{_TOOL_PUNCT}*",
    _I,
)
TOOL_ALONE = _lazy(rf"\s*{_TOOL_ALONE}\s*", _I)
_PLATFORM = (
    r"(?:we\s?chat(?:\s+moments)?|(?:sina\s+)?weibo|tencent\s+weibo|qq(?:\s*(?:space|zone))?"
    r"|qzone|facebook|twitter|linkedin|douban|renren|whatsapp|telegram|moments|friends\s+circle"
    r"|微信(?:朋友圈)?|朋友圈|(?:新浪|腾讯)?微博|QQ空间|人人网|豆瓣)"
)
SHARE_LINE = _lazy(
    rf"\s*[\[【]?(?:share(?:\s+(?:this|it|the\s+article|this\s+article|this\s+page))?"
    rf"(?:\s+(?:to|on|with|via))?|分享到|分享)\s*[:：]?[\]】]?"
    rf"(?:{_SEP}*{_PLATFORM}){{0,12}}{_SEP}*",
    _I,
)
SHARE_NEEDS = _lazy(rf"[:：]|{_PLATFORM}", _I)
PLATFORM_ROW = _lazy(rf"{_SEP}*{_PLATFORM}(?:{_SEP}+{_PLATFORM}){{1,12}}{_SEP}*", _I)
QR_PROMPT = _lazy(
    r"\s*(?:(?:use\s+)?(?:we\s?chat\s+(?:to\s+)?)?(?:open\s+we\s?chat\s+(?:and|to)\s+)?scan"
    r"(?:\s+the)?(?:\s+(?:qr\s+)?code)?(?:\s+(?:with|using|on|in)\s+(?:we\s?chat|your\s+"
    r"(?:mobile\s+)?phone|(?:the\s+)?mobile(?:\s+phone)?|(?:the\s+)?phone))?\s*(?:to|and|,)\s*"
    r"(?:read|view|open|share|follow|browse|watch|visit)"
    r"(?:\s+(?:on|in|with|via|to|the|this|it|article|page|news|mobile|phone|wechat|moments"
    r"|friends|us|account|official|version|your|site))*"
    r"|(?:mobile|phone)\s+(?:version|reading|edition)|read\s+(?:it\s+)?on\s+(?:your\s+)?"
    r"(?:mobile(?:\s+phone)?|phone)|(?:we\s?chat\s+)?qr\s+code|follow\s+us(?:\s+on\s+"
    r"(?:we\s?chat|weibo))?|扫一扫|手机扫一扫|扫码阅读|手机阅读|手机版|(?:微信|手机)?扫描二维码"
    r"[^.!?。]{0,20}|微信扫一扫[^.!?。]{0,20}|扫描?二维码[^.!?。]{0,20})\s*[.!:：]?\s*",
    _I,
)
MORE_LINK = _lazy(
    r"\s*(?:more(?:\s+news)?|read\s+more|view\s+more|see\s+more|click\s+(?:here|to\s+"
    r"(?:view|enlarge|read|see)(?:\s+(?:more|details|the\s+picture|the\s+original))?)"
    r"|click\s+to\s+enlarge|details|更多|查看更多|点击查看|阅读全文|查看原文)"
    r"\s*(?P<mark>>>|»|>|\.\.\.|…|\+)?\s*",
    _I,
)

# --- C003 leftover media names and ids -----------------------------------------------------
MEDIA_NAME = _lazy(
    r"\s*[\w\-.()（）\[\]~+]{0,60}(?:\s[\w\-.()（）\[\]~+]{1,30}){0,2}"
    r"\.(?:jpe?g|png|gif|bmp|webp|tiff?|svg|heic|mp4|flv)\s*",
    _I,
)
MEDIA_ID = _lazy(r"\s*(?:\d{12,20}|[0-9a-f]{24,40}|[0-9A-F]{24,40})\s*")

# --- C004 language selectors --------------------------------------------------------------
LANGUAGE = _lazy(
    r"English|Français|French|Deutsch|German|Español|español|Spanish|Português|Portuguese"
    r"|Italiano|Italian|Русский(?:\s*язык)?|Russian|日本語|日本语|Japanese|한국어|한어|조선어"
    r"|Korean|简体中文|繁體中文|繁体中文|中文|汉语|Chinese|العربية|Arabic|Ελληνικά|Greek"
    r"|Indonesian|Bahasa(?:\s+(?:Indonesia|Melayu))?|Sanskrit|Latina|Latin|Suomalainen|Suomi"
    r"|Finnish|Nederlands|Dutch|Polski|Polish|Türkçe|Turkish|Tiếng\s*Việt|Vietnamese|ไทย|Thai"
    r"|हिन्दी|Hindi|Svenska|Swedish|Norsk|Dansk|Čeština|Magyar|Română|Українська|עברית|فارسی"
    r"|Монгол|Mongolian|ລາວ|ភាសាខ្មែរ|မြန်မာ|Melayu|Malay|Filipino|Tagalog"
)
LANG_FILLER = _lazy(r"[\s|｜/\\·•,，、;；\-–—:：\[\]【】()]+")

# --- C005 CMS metadata ---------------------------------------------------------------------
_META_LABEL = (
    r"(?:article\s+source|information\s+source|news\s+source|source|editors?|responsible\s+"
    r"editors?|editor[- ]in[- ]charge|executive\s+editor|chief\s+editor|edited\s+by|author"
    r"|publisher|published(?:\s+(?:on|at|time|date))?|publish(?:ing)?\s+(?:time|date)"
    r"|publication\s+(?:time|date)|release\s+(?:time|date)|released(?:\s+on)?|date\s+of"
    r"\s+(?:release|publication)|date|time|posted(?:\s+on)?|post(?:ing)?\s+time|(?:last\s+)?"
    r"updated(?:\s+on)?|update\s+(?:time|date)|views|page\s+views|view\s+count|visits"
    r"|reviewer|proofreader|browse[sd]?|clicks|hits|read\s+count|number\s+of\s+(?:views|visits|reads)|reads|reading\s+volume"
    r"|来源|信息来源|文章来源|作者|编辑|责任编辑|审核|校对|发布时间|发布日期|发布|时间|日期|更新时间|浏览次数"
    r"|浏览量|浏览|点击数|点击量|阅读量|阅读次数|访问量|访问次数)"
)
META_FIELD = _lazy(rf"(?<![\w])(?P<label>{_META_LABEL})\s*[:：]", _I)
META_START = _lazy(rf"[\s\[【(（]*{_META_LABEL}\s*[:：]", _I)
META_COUNT_LABEL = _lazy(
    r"views|page\s+views|view\s+count|visits|browse[sd]?|clicks|hits|read\s+count|number\s+of\s+\w+|reads"
    r"|reading\s+volume|浏览次数|浏览量|浏览|点击数|点击量|阅读量|阅读次数|访问量|访问次数",
    _I,
)
META_RELEASE_LABEL = _lazy(
    r"published(?:\s+(?:on|at|time|date))?|publish(?:ing)?\s+(?:time|date)|publication\s+"
    r"(?:time|date)|release\s+(?:time|date)|released(?:\s+on)?|date\s+of\s+\w+|posted(?:\s+on)?"
    r"|post(?:ing)?\s+time|(?:last\s+)?updated(?:\s+on)?|update\s+(?:time|date)|发布时间|发布日期"
    r"|更新时间|发布",
    _I,
)
META_BYLINE_LABEL = _lazy(r"author|作者", _I)
NUMBER_VALUE = _lazy(r"\s*\d[\d,]*\s*(?:times|次)?\s*")
DATE_VALUE = _lazy(
    r"\s*(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4})"
    r"(?:\s*[T,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*",
    _I,
)

# --- C006 footers --------------------------------------------------------------------------
COPYRIGHT = _lazy(
    r"\s*(?:copyright\s*(?:©|\(c\)|\d{4}|[:：]|reserved|notice|statement)|©|\(c\)\s*\d{4}"
    r"|版权所有|版权声明|版权归)",
    _I,
)
COPYRIGHT_ANYWHERE = _lazy(r"all\s+rights\s+reserved|版权所有|©", _I)
ICP = _lazy(
    r"ICP\s*(?:备|证|licen[cs]e|record|filing|registration|No\b|number|\d)|备案号|ICP备"
    r"|公网安备|public\s+(?:network\s+)?security\s+(?:record|filing|registration)"
    r"|网站标识码|website\s+(?:identification|identity)\s+code|police\s+(?:record|filing)",
    _I,
)
PREV_NEXT = _lazy(
    r"\s*(?:previous|prev|next)(?:\s+(?:article|page|one))?(?:[\s|｜/]+(?:previous|prev|next)"
    r"(?:\s+(?:article|page|one))?)+\s*|\s*[\[【]?(?:previous|next|prev)(?:\s+(?:article|post|page|item|story|news|one|chapter))?"
    r"\s*[\]】]?\s*(?:[:：].{0,200})?|\s*(?:上一篇|下一篇|上一条|下一条)\s*[:：]?.{0,200}",
    _I,
)
LIST_HEADING = _lazy(
    r"\s*[\[【]?\s*(?:related\s+(?:news|articles?|reading|reports?|links?|stories|content)"
    r"|recommended\s+(?:reading|news|articles?)|hot\s+(?:news|key\s*words?|words|tags|topics"
    r"|search(?:es)?|articles?|spots?)|popular\s+(?:news|articles?)|more\s+news|latest\s+news"
    r"|further\s+reading|you\s+may\s+also\s+like|editor'?s\s+picks?|相关新闻|相关阅读|相关文章"
    r"|热点新闻|热门关键词|热词|推荐阅读|猜你喜欢|最新新闻)\s*[\]】]?\s*(?:[:：]\s*(?P<rest>.{0,200}))?",
    _I,
)
_CONTACT_LABEL = (
    r"(?:address|addr|tel|telephone|phone|fax|postcode|post\s+code|postal\s+code|zip(?:\s+code)?"
    r"|e-?mail|contact\s+(?:us|number|phone|telephone|information)|hotline|service\s+hotline"
    r"|sponsored\s+by|sponsor|host(?:ed\s+by|\s+unit)?|organi[sz]er|organi[sz]ed\s+by"
    r"|undertaken\s+by|undertaker|supervised\s+by|technical\s+support|webmaster|website"
    r"|maintained\s+by|主办单位|主办|承办单位|承办|协办|地址|电话|传真|邮编|邮箱|技术支持|联系电话"
    r"|网站维护|运维)"
)
CONTACT_FIELD = _lazy(rf"(?<![\w])(?:{_CONTACT_LABEL})\s*[:：]", _I)
CONTACT_START = _lazy(rf"[\s\[【]*{_CONTACT_LABEL}\s*[:：]", _I)
HOST_LABEL = _lazy(
    r"sponsored\s+by|sponsor|host(?:ed\s+by|\s+unit)?|organi[sz]er|undertaken\s+by|undertaker"
    r"|supervised\s+by|technical\s+support|maintained\s+by|主办|承办|协办|技术支持|网站维护",
    _I,
)
DISCLAIMER = _lazy(r"\s*(?:disclaimer|免责声明|reprint\s+statement)\s*[:：].{0,400}", _I)

# --- C008 separator debris ----------------------------------------------------------------
SEPARATOR = _lazy(
    r"[\s|｜\-–—_=*·•>»<«~#+/\\.…。、,，:：;；]*[|｜\-–—_=*·•>»<«~#+/\\…]+"
    r"[\s|｜\-–—_=*·•>»<«~#+/\\.…。、,，:：;；]*"
)

# --- mixed lines (C010): chrome fragments inside an otherwise real line --------------------
MIXED_MARKER = _lazy(
    r"you\s+are\s+here\s*[:：]|current\s+location\s*[:：]|当前位置|(?<![\w])A\s*\|\s*A\s*\|\s*A"
    r"(?![\w])|[\[【]\s*(?:print|打印)\s*[\]】]\s*[\[【]\s*(?:close|关闭)\s*[\]】]"
    r"|(?<![\w])print\s*\|\s*close(?![\w])|all\s+rights\s+reserved|copyright\s*©|ICP备"
    r"|responsible\s+editor\s*[:：]|editor[- ]in[- ]charge\s*[:：]|release\s+time\s*[:：]"
    r"|share\s+to\s*[:：]|scan\s+(?:the\s+)?qr\s+code\s+to\s+(?:read|share)"
    r"|(?:previous|next)\s+article\s*[:：]",
    _I,
)

MIXED_MEDIA = _lazy(r"(?<![\w.])[\w\-]{1,40}\.(?:jpe?g|png|gif)(?![\w])", _I)
#: Cheap substring gate (on the lower-cased line) before the marker regexes: most body
#: lines contain none of these, and ``in`` on a str costs next to nothing.
MIXED_GATE: Final = (
    "here",
    "location",
    "当前",
    "|",
    "【",
    "[",
    "rights",
    "©",
    "icp",
    "editor",
    "release",
    "share",
    "qr",
    "article",
)
MEDIA_GATE: Final = (".jp", ".png", ".gif")

# --- gates --------------------------------------------------------------------------------
#: Letters of CJK scripts (for the untranslated-line finding).
CJK = _lazy(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
LATIN_WORD = _lazy(r"[A-Za-z]{2,}")
WORD = _lazy(r"\S+")
SENTENCE_END = _lazy(r"[.!?。！？…;；][\"'”’)）\]]*\s*$")
KEY_STRIP = _lazy(r"[\W_]+")

# --- cheap gates (speed only: each is a NECESSARY condition of a rule above) ---------------
# The chrome pass runs over every line of millions of pages, and most lines are body text.
# These gates let a body line skip the classifier and the mixed-marker search with a few
# C-level checks; a line that passes a gate still gets the full, exact decision, so the gates
# never change output. tests/test_chrome_gate.py checks each one against its rule.

#: Non-ASCII characters that IGNORECASE patterns match to an ASCII letter (İ~i, ſ~s, K~k)
#: although ``str.lower`` does not turn them into it. Lower-case substring gates are exact
#: only on text free of them, so text holding one skips the gates.
CASE_EXOTIC: Final = ("\u0130", "\u017f", "\u212a")

#: File extensions of MEDIA_NAME, with the dot (the stripped line must end with one).
MEDIA_EXTS: Final = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".bmp",
    ".webp",
    ".tif",
    ".tiff",
    ".svg",
    ".heic",
    ".mp4",
    ".flv",
)
#: Characters of ``_ARROW``: BREADCRUMB_TRAIL needs two of them.
ARROW_CHARS: Final = (">", "»", "›", "→", "＞", "》")


def _scoped(p: regex.Pattern[str]) -> str:
    """``p`` (compiled or not yet) as a group carrying its own case flag, named groups made
    plain."""
    flag = "i" if p.flags & regex.IGNORECASE else "-i"
    return f"(?{flag}:{regex.sub(r'[(][?]P<[A-Za-z_]+>', '(?:', p.pattern)})"


# Every rule of ``classify`` that is tied to the start of the line, in one match at
# position 0. BREADCRUMB_TRAIL and MEDIA_NAME are left out: they can start with any word
# and backtrack over it, so they get their own cheaper gates (an arrow; the extension).
_WHOLE_LINE = (
    SEPARATOR,
    MEDIA_ID,
    FONT_TOGGLE,
    TOOL_ALONE,
    TOOL_ROW,
    PLATFORM_ROW,
    SHARE_LINE,
    QR_PROMPT,
    MORE_LINK,
    BREADCRUMB_LEAD,
    BREADCRUMB_HOME,
    BREADCRUMB_LEAD_WEAK,
    NAV_ROW,
    NAV_HOME_ROW,
    NAV_SINGLE,
    PREV_NEXT,
    LIST_HEADING,
    DISCLAIMER,
)
_LINE_START = (COPYRIGHT, CONTACT_START, META_START)
_ANCHORED = tuple(_scoped(p) + r"\Z" for p in _WHOLE_LINE) + tuple(_scoped(p) for p in _LINE_START)
# The names of those rules, in _ANCHORED order, and whether each must match the whole line.
_NAME_OF = {id(v): k for k, v in globals().items() if isinstance(v, _Source)}
_ANCHORED_NAMES = tuple((_NAME_OF[id(p)], True) for p in _WHOLE_LINE) + tuple(
    (_NAME_OF[id(p)], False) for p in _LINE_START
)


@functools.cache
def _anchored_test() -> tuple[tuple[regex.Pattern[str], bool], ...]:
    """(compiled pattern, whole line?) per anchored rule, for the partial-match test."""
    return tuple((_compiled(name), whole) for name, whole in _ANCHORED_NAMES)


@functools.cache
def _gate_of(rules: tuple[int, ...]) -> regex.Pattern[str] | None:
    return regex.compile("|".join(_ANCHORED[i] for i in rules), regex.VERSION0) if rules else None


#: How many leading characters of a line choose its anchored gate.
GATE_PREFIX: Final = 3


@functools.lru_cache(maxsize=65536)
def anchored_gate(prefix: str) -> regex.Pattern[str] | None:
    """The start-of-line rules, as one alternation, that can match a line starting with
    ``prefix`` (its first :data:`GATE_PREFIX` characters), or None.

    Trying ~20 big alternations at position 0 costs up to ~20 us per line; the few rules
    that three leading characters leave cost well under 1 us. A rule is kept when
    ``prefix`` is a match or a partial match of it (the line could continue into a match),
    which every line that the rule matches satisfies.
    """
    rules = tuple(
        i
        for i, (p, whole) in enumerate(_anchored_test())
        if (p.fullmatch if whole else p.match)(prefix, partial=True) is not None
    )
    return _gate_of(rules)


def _trie(words: list[str]) -> str:
    """An alternation of literal ``words`` factored by leading characters, so that the
    engine tests a few branches at each position instead of all of them."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    parts = []
    for first, rests in by_first.items():
        longer = [r for r in rests if r]
        if not longer:
            parts.append(_re.escape(first))
            continue
        inner = _trie(longer)
        if len(longer) < len(rests):  # ``first`` alone is a word too
            parts.append(f"{_re.escape(first)}(?:{inner})?")
        elif "|" in inner:
            parts.append(f"{_re.escape(first)}(?:{inner})")
        else:
            parts.append(_re.escape(first) + inner)
    return "|".join(parts)


def _top_level(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (no escaped '|' or classes in it)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    return [*out, pattern[start:]]


#: Each LANGUAGE alternative up to its first non-literal part (``Русский(?:\s*язык)?`` ->
#: ``Русский``): every LANGUAGE match starts with one of these heads.
LANGUAGE_HEADS: Final = tuple(regex.split(r"[(\\]", a)[0] for a in _top_level(LANGUAGE.pattern))
_HEADS = _trie(list(LANGUAGE_HEADS))
_HEADS_NO_ENYE = _trie([h for h in LANGUAGE_HEADS if "ñ" not in h])
#: Two LANGUAGE matches (``_languages`` needs two): two heads, one after the other. Stdlib
#: ``re`` scans a literal alternation much faster than the regex module. The variant
#: without ``español`` (the one lower-case head: it makes every 'e' a candidate) serves
#: lines without 'ñ'.
LANGUAGE_PAIR = _lazy(rf"(?:{_HEADS})[\s\S]*?(?:{_HEADS})", engine=_re)
LANGUAGE_PAIR_NO_ENYE = _lazy(
    rf"(?:{_HEADS_NO_ENYE})[\s\S]*?(?:{_HEADS_NO_ENYE})", engine=_re
)


#: Lower-case keywords of rules that match anywhere in a line: classify's ICP and copyright
#: rules, and the mixed markers. The pass looks for them once per document.
CLASSIFY_KEYWORDS: Final = ("reserved", "icp", "security", "police", "website")
MEDIA_KEYWORDS: Final = (".jp", ".png", ".gif")
MIXED_KEYWORDS: Final = ("reserved", "qr", *MEDIA_KEYWORDS)
#: Case-sensitive literals of the same kind: classify's CJK footer words and the arrows of
#: BREADCRUMB_TRAIL; the characters and words every other mixed marker contains.
CLASSIFY_LITERALS: Final = ("©", "版权所有", "备案号", "公网安备", "网站标识码", *ARROW_CHARS)
MIXED_LITERALS: Final = ("|", "[", "【", "©", "备", "当前位置", ":", "：")


# --- lazy compilation ---------------------------------------------------------------------
# Every ``_lazy`` pattern leaves the module namespace for ``_LAZY``; the first read of the
# name compiles it and puts the compiled pattern back, so later reads cost nothing extra.
_LAZY: Final[dict[str, _Source]] = {
    name: value for name, value in globals().items() if isinstance(value, _Source)
}
for _name in _LAZY:
    del globals()[_name]
del _name


def _compiled(name: str) -> Any:
    """The compiled pattern ``name`` (compiling it on first use)."""
    found = globals().get(name)
    if found is not None:
        return found
    source = _LAZY[name]
    pattern = source.engine.compile(source.pattern, source.flags)
    globals()[name] = pattern  # two threads racing here compile equal patterns: harmless
    return pattern


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return _compiled(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
