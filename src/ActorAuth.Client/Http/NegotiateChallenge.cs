namespace ActorAuth.Client.Http;

/// <summary>
/// What the <c>WWW-Authenticate</c> headers of one response say about Negotiate (RFC 4559 over RFC 9110 §11.6.1):
/// whether the scheme is offered, and the server's token if one came. A pure function of the header values — several
/// headers, several comma-separated challenges per header, auth-params with quoted strings (which may hold commas),
/// any case of the scheme name.
/// <code>
/// WWW-Authenticate: Basic realm="a, b", Negotiate oYG3MIG0oAMKAQCh…==
/// challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
/// </code>
/// </summary>
public readonly record struct NegotiateChallenge(bool IsOffered, string? Token)
{
    /// <summary>The scheme's name, compared case-insensitively.</summary>
    public const string Scheme = "Negotiate";

    /// <summary>Reads every value of every <c>WWW-Authenticate</c> header. The first Negotiate challenge with a token gives <see cref="Token"/>.</summary>
    public static NegotiateChallenge Parse(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        bool offered = false;
        foreach (string value in headerValues)
        {
            foreach (string element in SplitList(value))
            {
                // An element without a scheme ("name=value") is an auth-param of the challenge before it.
                int space = element.IndexOfAny([' ', '\t']);
                string scheme = space < 0 ? element : element[..space];
                if (scheme.Contains('=', StringComparison.Ordinal) || !scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                offered = true;
                string rest = space < 0 ? string.Empty : element[(space + 1)..].Trim(' ', '\t');
                if (IsToken68(rest))
                {
                    return new(true, rest);
                }
            }
        }

        return new(offered, null);
    }

    /// <summary>The token as bytes, or null if there is none or it is not base64.</summary>
    public byte[]? TokenBytes()
    {
        if (Token is null)
        {
            return null;
        }

        byte[] buffer = new byte[Token.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(Token, buffer, out int written) ? buffer[..written] : null;
    }

    /// <summary>Splits a header's list at commas outside quoted strings, dropping empty elements (RFC 9110 §5.6.1).</summary>
    private static List<string> SplitList(string value)
    {
        var elements = new List<string>();
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i < value.Length)
            {
                char c = value[i];
                if (quoted && c == '\\')
                {
                    i++;
                    continue;
                }

                if (c == '"')
                {
                    quoted = !quoted;
                }

                if (quoted || c != ',')
                {
                    continue;
                }
            }

            string element = value[start..Math.Min(i, value.Length)].Trim(' ', '\t');
            if (element.Length > 0)
            {
                elements.Add(element);
            }

            start = i + 1;
        }

        return elements;
    }

    /// <summary>token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="</summary>
    private static bool IsToken68(string text)
    {
        int end = text.Length;
        while (end > 0 && text[end - 1] == '=')
        {
            end--;
        }

        if (end == 0)
        {
            return false;
        }

        for (int i = 0; i < end; i++)
        {
            char c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }
}
