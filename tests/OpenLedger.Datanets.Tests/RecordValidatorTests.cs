using System.Text;
using OpenLedger.Datanets.Records;

namespace OpenLedger.Datanets.Tests;

public sealed class RecordValidatorTests
{
    private static readonly RecordValidator _validator = new(
    [
        new FieldRule("title", FieldKind.Text, Required: true, MaxLength: 10),
        new FieldRule("count", FieldKind.Integer, Required: true, MaxLength: null),
        new FieldRule("score", FieldKind.Number, Required: false, MaxLength: null),
        new FieldRule("ok", FieldKind.Boolean, Required: false, MaxLength: null),
        new FieldRule("at", FieldKind.Timestamp, Required: false, MaxLength: null),
    ], allowUnknownFields: false);

    private static RecordValidation Check(string text) => _validator.Validate(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Valid_lines_are_counted_with_or_without_a_final_newline_and_with_crlf()
    {
        Assert.Equal(2, Check("{\"title\":\"a\",\"count\":1}\n{\"title\":\"b\",\"count\":2,\"score\":0.5,\"ok\":false,\"at\":\"2026-01-01T00:00:00Z\"}\n").RecordCount);
        Assert.Equal(1, Check("{\"title\":\"a\",\"count\":1}").RecordCount);
        Assert.Equal(2, Check("{\"title\":\"a\",\"count\":1}\r\n{\"title\":\"b\",\"count\":1}\r\n").RecordCount);
    }

    [Theory]
    [InlineData("", 0, null)]
    [InlineData("\n", 1, null)]
    [InlineData("{\"title\":\"a\",\"count\":1}\n\n{\"title\":\"b\",\"count\":1}\n", 2, null)]
    [InlineData("{\"title\":\"a\",\"count\":1.5}\n", 1, "count")]
    [InlineData("{\"title\":\"a\",\"count\":1,\"score\":\"x\"}\n", 1, "score")]
    [InlineData("{\"title\":\"a\",\"count\":1,\"ok\":1}\n", 1, "ok")]
    [InlineData("{\"title\":\"a\",\"count\":1,\"at\":\"noon\"}\n", 1, "at")]
    [InlineData("{\"title\":\"much too long\",\"count\":1}\n", 1, "title")]
    [InlineData("{\"title\":null,\"count\":1}\n", 1, "title")]
    [InlineData("{\"count\":1}\n", 1, "title")]
    [InlineData("{\"title\":\"a\",\"count\":1,\"title\":\"b\"}\n", 1, "title")]
    [InlineData("{\"title\":\"a\",\"count\":1,\"other\":1}\n", 1, "other")]
    [InlineData("{\"title\":\"a\",\"count\":1}\n\"just a string\"\n", 2, null)]
    [InlineData("{\"title\":\"a\",", 1, null)]
    public void Problems_are_reported_with_line_and_field(string text, int line, string? field)
    {
        var result = Check(text);
        Assert.False(result.IsValid);
        Assert.Equal(line, result.Line);
        Assert.Equal(field, result.Field);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"title\":\"a\",\"count\":1}\n").ToList();
        bytes.InsertRange(11, new byte[] { 0xC3, 0x28 });
        Assert.False(_validator.Validate(bytes.ToArray()).IsValid);
    }

    [Fact]
    public void Unknown_fields_pass_when_the_schema_allows_them()
    {
        var lenient = new RecordValidator([new FieldRule("title", FieldKind.Text, true, null)], allowUnknownFields: true);
        Assert.True(lenient.Validate("{\"title\":\"a\",\"extra\":[1,2]}\n"u8.ToArray()).IsValid);
    }
}
