//! A tiny, safe markdown renderer for notes: headings, paragraphs, `-`/`*`/`+` and numbered
//! lists, fenced code blocks, and inline code, `**strong**`, `*emphasis*` and
//! `[links](https://…)`.
//!
//! Every character of the input is escaped, so no HTML of the note ever reaches the page; the
//! only tags in the output are the ones written here. Links keep only `http:`, `https:` and
//! `mailto:` addresses (anything else, `javascript:` included, renders as plain text). Written
//! by hand because a markdown crate would cost far more of the bundle than notes are worth.

/// The HTML of `text`.
pub fn render(text: &str) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    // The open list's tag, if any.
    let mut list: Option<&'static str> = None;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut out, &mut paragraph, &mut list);
            out.push_str("<pre><code>");
            let mut first = true;
            for code in lines.by_ref() {
                if code.trim_start().starts_with("```") {
                    break;
                }
                if !first {
                    out.push('\n');
                }
                first = false;
                escape(code, &mut out);
            }
            out.push_str("</code></pre>");
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut out, &mut paragraph, &mut list);
            continue;
        }
        if let Some((level, title)) = heading(trimmed) {
            flush(&mut out, &mut paragraph, &mut list);
            out.push_str(&format!("<h{level}>"));
            inline(title, &mut out);
            out.push_str(&format!("</h{level}>"));
            continue;
        }
        if let Some((tag, item)) = list_item(trimmed) {
            let mut none = None;
            flush(&mut out, &mut paragraph, &mut none);
            if list != Some(tag) {
                close_list(&mut out, &mut list);
                out.push_str(&format!("<{tag}>"));
                list = Some(tag);
            }
            out.push_str("<li>");
            inline(item, &mut out);
            out.push_str("</li>");
            continue;
        }
        close_list(&mut out, &mut list);
        paragraph.push(trimmed);
    }
    flush(&mut out, &mut paragraph, &mut list);
    out
}

/// Ends the open paragraph and list.
fn flush(out: &mut String, paragraph: &mut Vec<&str>, list: &mut Option<&'static str>) {
    close_list(out, list);
    if paragraph.is_empty() {
        return;
    }
    out.push_str("<p>");
    for (i, line) in paragraph.iter().enumerate() {
        if i > 0 {
            // A note's line breaks are meant: kept as text, shown by `white-space: pre-wrap`.
            out.push('\n');
        }
        inline(line, out);
    }
    out.push_str("</p>");
    paragraph.clear();
}

fn close_list(out: &mut String, list: &mut Option<&'static str>) {
    if let Some(tag) = list.take() {
        out.push_str(&format!("</{tag}>"));
    }
}

/// `## Title` → `(2, "Title")`.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if rest.is_empty() {
        return Some((level, ""));
    }
    rest.strip_prefix(' ')
        .map(|title| (level, title.trim().trim_end_matches('#').trim_end()))
}

/// `- item` → `("ul", "item")`, `2. item` → `("ol", "item")`.
fn list_item(line: &str) -> Option<(&'static str, &str)> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(item) = line.strip_prefix(marker) {
            return Some(("ul", item.trim_start()));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(item) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(("ol", item.trim_start()));
        }
    }
    None
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        escape_char(c, out);
    }
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

/// Whether a link may point there: web and mail addresses only.
fn safe_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `[text](url)` at the start of `rest`: `(text, url, length)`.
fn link(rest: &str) -> Option<(&str, &str, usize)> {
    let close = rest.find("](")?;
    let text = &rest[1..close];
    if text.is_empty() || text.contains('[') || text.contains(']') {
        return None;
    }
    let after = &rest[close + 2..];
    let end = after.find(')')?;
    let url = after[..end].trim();
    Some((text, url, close + 2 + end + 1))
}

/// Inline markup of one line.
fn inline(text: &str, out: &mut String) {
    let mut rest = text;
    let mut prev: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => {
                if let Some(end) = rest[1..].find('`').filter(|&end| end > 0) {
                    out.push_str("<code>");
                    escape(&rest[1..1 + end], out);
                    out.push_str("</code>");
                    rest = &rest[end + 2..];
                    prev = Some('`');
                    continue;
                }
            }
            // `_` inside a word (snake_case) is not emphasis.
            '*' | '_' if c == '*' || !prev.is_some_and(char::is_alphanumeric) => {
                let double = rest[1..].starts_with(c);
                let marker = &rest[..if double { 2 } else { 1 }];
                let body = &rest[marker.len()..];
                let closing = body
                    .find(marker)
                    .filter(|&end| end > 0 && !body.starts_with(' '));
                if let Some(end) = closing {
                    let tag = if double { "strong" } else { "em" };
                    out.push_str(&format!("<{tag}>"));
                    inline(&body[..end], out);
                    out.push_str(&format!("</{tag}>"));
                    rest = &body[end + marker.len()..];
                    prev = Some(c);
                    continue;
                }
            }
            '[' => {
                if let Some((label, url, length)) = link(rest) {
                    if safe_url(url) {
                        out.push_str("<a href=\"");
                        escape(url, out);
                        out.push_str("\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">");
                        inline(label, out);
                        out.push_str("</a>");
                    } else {
                        inline(label, out);
                    }
                    rest = &rest[length..];
                    prev = Some(')');
                    continue;
                }
            }
            _ => {}
        }
        escape_char(c, out);
        rest = &rest[c.len_utf8()..];
        prev = Some(c);
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn headings_paragraphs_and_line_breaks() {
        assert_eq!(
            render("# Tyres\n\nFront 205/55\nRear 225/45\n\n### Done ###"),
            "<h1>Tyres</h1><p>Front 205/55\nRear 225/45</p><h3>Done</h3>"
        );
        assert_eq!(render("#hashtag"), "<p>#hashtag</p>");
        assert_eq!(render("####### seven"), "<p>####### seven</p>");
    }

    #[test]
    fn emphasis_and_code() {
        assert_eq!(
            render("**Torque** is *45 Nm*, see `spec<1>`"),
            "<p><strong>Torque</strong> is <em>45 Nm</em>, see <code>spec&lt;1&gt;</code></p>"
        );
        assert_eq!(
            render("__a__ and _b_"),
            "<p><strong>a</strong> and <em>b</em></p>"
        );
        assert_eq!(render("oil_filter_size"), "<p>oil_filter_size</p>");
        assert_eq!(render("2 * 3 * 4"), "<p>2 * 3 * 4</p>");
        assert_eq!(render("a ** b"), "<p>a ** b</p>");
    }

    #[test]
    fn lists() {
        assert_eq!(
            render("Parts:\n- filter\n- *oil*\n\n1. drain\n2) fill"),
            "<p>Parts:</p><ul><li>filter</li><li><em>oil</em></li></ul><ol><li>drain</li><li>fill</li></ol>"
        );
        assert_eq!(
            render("- a\n1. b\nafter"),
            "<ul><li>a</li></ul><ol><li>b</li></ol><p>after</p>"
        );
    }

    #[test]
    fn links_only_to_web_and_mail_addresses() {
        assert_eq!(
            render("[Manual](https://example.com/a?b=1&c=2)"),
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">Manual</a></p>"
        );
        assert!(render("[mail](mailto:me@example.com)").contains("href=\"mailto:me@example.com\""));
        assert_eq!(render("[x](javascript:alert(1))"), "<p>x)</p>");
        assert_eq!(render("[x](data:text/html,hi)"), "<p>x</p>");
        assert_eq!(render("[x](/relative)"), "<p>x</p>");
        assert_eq!(
            render("[x](https://a.b/\"onmouseover=\"y)"),
            "<p><a href=\"https://a.b/&quot;onmouseover=&quot;y\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">x</a></p>"
        );
        assert_eq!(render("[not a link]"), "<p>[not a link]</p>");
    }

    #[test]
    fn no_html_passes_through() {
        let out = render("<script>alert('x')</script>\n# <img src=x onerror=y>\n- <b>&</b>");
        assert_eq!(
            out,
            "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p><h1>&lt;img src=x onerror=y&gt;</h1><ul><li>&lt;b&gt;&amp;&lt;/b&gt;</li></ul>"
        );
        assert!(!out.contains("<script") && !out.contains("<img") && !out.contains("<b>"));
    }

    #[test]
    fn fenced_code_is_kept_verbatim() {
        assert_eq!(
            render("```\n# not a heading\n<b>\n```\nafter"),
            "<pre><code># not a heading\n&lt;b&gt;</code></pre><p>after</p>"
        );
        assert_eq!(render("```\nopen"), "<pre><code>open</code></pre>");
    }
}
