using Ganss.Xss;

namespace ActivityFeed.Api.Activities;

/// <summary>
/// Keeps the small inline subset of HTML the contract allows in formatted_description: strong, em,
/// b, i, a[href] (http, https, mailto), br, p, ul, ol, li, code. Everything else is removed, keeping
/// the text of harmless tags; the content of script-like elements goes with them.
/// </summary>
public sealed class DescriptionSanitizer
{
    private static readonly string[] Tags = ["strong", "em", "b", "i", "a", "br", "p", "ul", "ol", "li", "code"];

    // Elements whose text is code or markup, not prose: dropped whole rather than unwrapped.
    private static readonly HashSet<string> DropWhole = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript", "xmp", "noembed", "noframes", "title", "textarea", "select",
    };

    private readonly HtmlSanitizer _sanitizer;

    public DescriptionSanitizer()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(Tags, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            AllowedCssClasses = new HashSet<string>(),
        })
        {
            KeepChildNodes = true,
        };
        _sanitizer.RemovingTag += (_, e) =>
        {
            if (DropWhole.Contains(e.Tag.LocalName))
            {
                e.Tag.InnerHtml = "";
            }
        };
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);
}
