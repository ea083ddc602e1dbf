using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Economy;

/// <summary>Writes wei amounts as exact decimal strings (JSON numbers lose precision past 2^53 in most readers).</summary>
public sealed class WeiJsonConverter : JsonConverter<BigInteger>
{
    /// <inheritdoc />
    public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? BigInteger.Parse(reader.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
            : new BigInteger(reader.GetDecimal());

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
