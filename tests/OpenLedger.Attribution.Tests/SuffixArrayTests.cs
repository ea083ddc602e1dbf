using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Tests;

/// <summary>Suffix array counts and maximal spans against a brute-force scan; stored files. Sharding is in <see cref="SpanMergeTests"/>.</summary>
public sealed class SuffixArrayTests
{
    [Theory]
    [InlineData(1, 40, 30, 3)]
    [InlineData(2, 200, 60, 8)]
    [InlineData(3, 50, 400, 2)]
    public void Counts_equal_a_brute_force_scan_and_never_cross_documents(int seed, int documents, int maxLength, int alphabet)
    {
        var random = new Random(seed);
        var docs = BruteForce.Documents(random, documents, maxLength, alphabet);
        var index = SuffixArray.Build(TokenCorpus.From(docs));

        for (var trial = 0; trial < 300; trial++)
        {
            // Patterns taken from the data (present), random (often absent), and across a document boundary.
            var pattern = (trial % 3) switch
            {
                0 => Slice(random, docs[random.Next(docs.Count)]),
                1 => Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(alphabet + 1)).ToArray(),
                _ => Slice(random, docs[random.Next(docs.Count)]).Concat(Slice(random, docs[random.Next(docs.Count)])).ToArray(),
            };
            Assert.Equal(BruteForce.Count(docs, pattern), index.Count(pattern));
        }
        Assert.Throws<ArgumentException>(() => index.Count([]));
    }

    [Fact]
    public void Maximal_spans_equal_a_brute_force_scan()
    {
        var random = new Random(7);
        var docs = BruteForce.Documents(random, 60, 80, 4);
        var index = SuffixArray.Build(TokenCorpus.From(docs));
        var ids = Enumerable.Range(0, docs.Count).Select(d => (long)d).ToArray();
        for (var trial = 0; trial < 40; trial++)
        {
            // An output stitched from pieces of training documents and some noise.
            var output = Enumerable.Range(0, 4).SelectMany(_ => random.Next(3) == 0
                ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(6))
                : Slice(random, docs[random.Next(docs.Count)])).ToArray();
            var longest = BruteForce.Longest(docs, output);
            var expected = Enumerable.Range(0, output.Length)
                .Where(i => longest[i] >= 3 && (i == 0 || longest[i - 1] < longest[i] + 1))
                .Select(i => (Start: i, Length: longest[i], Count: BruteForce.Count(docs, output[i..(i + longest[i])])))
                .ToList();

            var spans = SpanFinder.Find(output, [(index, ids)], minLength: 3, maxSources: 1000);

            Assert.Equal(expected, spans.Select(s => (s.Start, s.Length, (int)s.Occurrences)).ToList());
            foreach (var span in spans)
            {
                Assert.Equal(span.Occurrences, span.Sources.Count);
                Assert.All(span.Sources, source =>
                    Assert.True(docs[(int)source.ExampleId].AsSpan(source.Offset, span.Length).SequenceEqual(output.AsSpan(span.Start, span.Length))));
            }
        }
    }

    [Fact]
    public void Stored_indexes_read_back_identically_and_damaged_files_are_refused()
    {
        var docs = BruteForce.Documents(new Random(5), 20, 50, 4);
        var index = SuffixArray.Build(TokenCorpus.From(docs));
        using var stream = new MemoryStream();
        SuffixArrayFile.Write(stream, index);
        var bytes = stream.ToArray();

        var read = SuffixArrayFile.Read(new MemoryStream(bytes));
        Assert.Equal(index.Suffixes.ToArray(), read.Suffixes.ToArray());
        Assert.Equal(index.Corpus.Tokens, read.Corpus.Tokens);
        Assert.Equal(index.Count([1, 2]), read.Count([1, 2]));

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SuffixArrayFile.Read(new MemoryStream(bytes[..^4]))).Message);
        var wrongMagic = bytes.ToArray();
        wrongMagic[0] ^= 0xFF;
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => SuffixArrayFile.Read(new MemoryStream(wrongMagic))).Message);
        var duplicated = bytes.ToArray();
        BitConverter.GetBytes(BitConverter.ToInt32(duplicated, duplicated.Length - 8)).CopyTo(duplicated, duplicated.Length - 4);
        Assert.Contains("twice", Assert.Throws<InvalidDataException>(() => SuffixArrayFile.Read(new MemoryStream(duplicated))).Message);
    }

    [Fact]
    public void Bad_corpora_are_refused_by_name()
    {
        Assert.Contains("at least one document", Assert.Throws<ArgumentException>(() => TokenCorpus.From([])).Message);
        Assert.Contains("token id -3", Assert.Throws<ArgumentException>(() => TokenCorpus.From([[1, -3]])).Message);
    }

    private static int[] Slice(Random random, int[] document)
    {
        var start = random.Next(document.Length);
        return document[start..random.Next(start + 1, document.Length + 1)];
    }
}
