using System.Numerics;
using System.Text;
using OpenLedger.Datanets.Signing;
using OpenLedger.Testing.Fuzzing;

namespace OpenLedger.Datanets.Tests.Fuzzing;

/// <summary>
/// The text fields of a signed contribution, fuzzed one parser at a time: the EIP-191 signature (recovered against the
/// contribution digest), the contributor address, the decimal nonce and the 32-byte payload hash. Each either yields a
/// value or a refusal the grain turns into its typed error; none may throw or hang.
/// </summary>
public sealed class SigningFuzzTests
{
    private const string Key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";   // development account 0
    private static readonly byte[] _digest = SignedDigests.Contribution("incident-reports", Keccak.Hash("payload"u8), "CC-BY-4.0", new BigInteger(7));
    private static readonly string _signer = PersonalSignature.AddressOf(Key);

    public static TheoryData<string> Parsers => ["signature", "address", "nonce", "hash"];

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Signed_contribution_fields_are_parsed_or_refused(string parser) => Run(parser, seed: 1201, mutants: 3_000, longRun: false);

    [Theory]
    [MemberData(nameof(Parsers))]
    [Trait("Category", "Long")]
    public void Signed_contribution_fields_are_parsed_or_refused_long(string parser) => Run(parser, seed: 2201, mutants: 500_000, longRun: true);

    private static void Run(string parser, int seed, int mutants, bool longRun)
    {
        var (seeds, target) = Parser(parser);
        var campaign = new FuzzCampaign($"datanets/{parser}", seed, mutants, TimeSpan.FromSeconds(5), new ByteMutator(longestText: 2_000, deepestNesting: 200),
            [.. seeds.Select(Encoding.UTF8.GetBytes)]);
        var tally = campaign.Run(input => target(Encoding.UTF8.GetString(input)));
        FuzzReport.Record(tally, longRun);
        tally.AssertNoDefects();
        Assert.True(tally.Accepted > 0 && tally.Refused.Values.Sum() > 0, $"accepted {tally.Accepted}, refused {tally.Refused.Values.Sum()}");
    }

    // Each parser's seeds and how its answer reads: null or false is the refusal its caller turns into a typed error.
    private static (string[] Seeds, Func<string, FuzzVerdict> Target) Parser(string parser) => parser switch
    {
        "signature" => ([PersonalSignature.Sign(_digest, Key), PersonalSignature.Sign(Keccak.Hash("other"u8), Key)], text =>
            PersonalSignature.RecoverSigner(_digest, text) switch
            {
                null => FuzzVerdict.Refuse("malformed signature", "RecoverSigner returned null: not 0x and 130 hex digits, or no key recovers"),
                var signer when signer == _signer => FuzzVerdict.Accept,
                _ => FuzzVerdict.Refuse("another signer", "the signature recovers to another address (invalid_signature)"),
            }),
        "address" => ([_signer, "0x52908400098527886E0F7030069857D2E4169EE7", "0x0000000000000000000000000000000000000000"], text =>
            EthereumAddress.TryNormalize(text) is { } address && address.Length == 42
                ? FuzzVerdict.Accept
                : FuzzVerdict.Refuse("not an address", "TryNormalize returned null: not 0x and 40 hex digits")),
        "nonce" => (["7", "0", "115792089237316195423570985008687907853269984665640564039457584007913129639935"], text =>
            SignedDigests.TryParseNonce(text, out var nonce) && nonce >= 0 && nonce < BigInteger.One << 256
                ? FuzzVerdict.Accept
                : FuzzVerdict.Refuse("not a nonce", "TryParseNonce returned false: not a decimal integer below 2^256")),
        "hash" => ([Hex.Encode(Keccak.Hash("payload"u8)), Hex.Encode(new byte[32])], text =>
            Hex.TryDecodeHash(text, out var hash) && hash.Length == 32
                ? FuzzVerdict.Accept
                : FuzzVerdict.Refuse("not a hash", "TryDecodeHash returned false: not 0x and 64 hex digits")),
        _ => throw new ArgumentOutOfRangeException(nameof(parser), parser, "no such parser"),
    };
}
