use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders Markdown written by HR to HTML. Raw HTML in the source is shown as text, never passed
/// through, and links may only point to http(s), mailto, tel or relative addresses: forms/ is data,
/// and a stray `<script>` or `javascript:` link in a description must not reach a browser.
pub fn render_markdown(source: &str) -> String {
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lowered: String = url
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let scheme = lowered.split_once(':').map(|(s, _)| s);
    let is_relative = scheme.is_none() || lowered.starts_with('/') || lowered.starts_with('#');
    match scheme {
        _ if is_relative => url,
        Some("http" | "https" | "mailto" | "tel") => url,
        _ => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html = render_markdown("## Title\n\n- **bold** item\n");
        assert!(html.contains("<h2>Title</h2>"));
        assert!(html.contains("<li><strong>bold</strong> item</li>"));
    }

    #[test]
    fn escapes_raw_html_blocks_and_inline_html() {
        let html = render_markdown("<script>alert(1)</script>\n\nHello <b onclick=\"x\">there</b>");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b onclick=\"x\"&gt;"), "{html}");
    }

    #[test]
    fn keeps_web_links_and_neutralises_script_links() {
        let html =
            render_markdown("[site](https://example.org) [bad](JavaScript:alert(1)) [page](/jobs)");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("href=\"/jobs\""), "{html}");
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
    }
}
