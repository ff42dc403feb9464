"""A campaign's brief: Markdown rendered to HTML that cannot carry script."""
import nh3
from markdown_it import MarkdownIt

# "js-default": CommonMark with raw HTML off (typed tags come out as text) and link schemes checked;
# nh3 then keeps only plain formatting tags, whatever the renderer lets through.
_MARKDOWN = MarkdownIt("js-default")
_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4",
         "hr", "table", "thead", "tbody", "tr", "th", "td"}


def render_brief(text):
    """HTML for the brief: sanitised by nh3, so safe to mark safe."""
    return nh3.clean(_MARKDOWN.render(text or ""), tags=_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
