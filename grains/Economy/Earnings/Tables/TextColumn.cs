using Apache.Arrow;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>Builds one utf8 column whose missing values are nulls.</summary>
internal sealed class TextColumn
{
    private readonly StringArray.Builder _builder = new();

    /// <summary>Appends <paramref name="value"/>, or a null.</summary>
    public void Append(string? value)
    {
        if (value is null)
        {
            _builder.AppendNull();
        }
        else
        {
            _builder.Append(value);
        }
    }

    /// <summary>The column.</summary>
    public StringArray Build() => _builder.Build();
}
