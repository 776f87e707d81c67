namespace PostNext.Abstractions;

/// <summary>
/// A secret value (an access or refresh token) passed between grains. Its <see cref="ToString"/> is redacted so a
/// logged record or exception never shows it; read <see cref="Reveal"/> only where the value is sent to its platform.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.Secret")]
public sealed class Secret(string value)
{
    [Id(0)]
    private readonly string _value = value;

    public string Reveal() => _value;

    public override string ToString() => "***";
}
