using System.Globalization;
using System.Text;

namespace PostNext.Api.Tests.Fuzz;

/// <summary>
/// A JSON value as the fuzz suite builds it, written by hand so that anything can be sent: lone surrogates (escaped),
/// NUL, huge numbers, deep nesting, and raw text that is not JSON at all.
/// </summary>
public abstract record Json
{
    public static Json Null { get; } = new JsonRaw("null");

    public abstract void Write(StringBuilder text);

    public string Text()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    public override string ToString()
    {
        var text = Text();
        return text.Length > 300 ? text[..300] + $"… ({text.Length} chars)" : text;
    }
}

public sealed record JsonRaw(string Value) : Json
{
    public override void Write(StringBuilder text) => text.Append(Value);
}

public sealed record JsonNumber(double Value) : Json
{
    public override void Write(StringBuilder text) => text.Append(
        Value == Math.Floor(Value) && Math.Abs(Value) < 1e18 ? ((long)Value).ToString(CultureInfo.InvariantCulture) : Value.ToString("R", CultureInfo.InvariantCulture));
}

public sealed record JsonString(string Value) : Json
{
    public override void Write(StringBuilder text)
    {
        text.Append('"');
        foreach (var c in Value)
        {
            if (c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029')
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}

public sealed record JsonList(IReadOnlyList<Json> Items) : Json
{
    public override void Write(StringBuilder text)
    {
        text.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            text.Append(i == 0 ? "" : ",");
            Items[i].Write(text);
        }

        text.Append(']');
    }
}

public sealed record JsonFields(IReadOnlyList<KeyValuePair<string, Json>> Fields) : Json
{
    public override void Write(StringBuilder text)
    {
        text.Append('{');
        for (var i = 0; i < Fields.Count; i++)
        {
            text.Append(i == 0 ? "" : ",");
            new JsonString(Fields[i].Key).Write(text);
            text.Append(':');
            Fields[i].Value.Write(text);
        }

        text.Append('}');
    }
}
