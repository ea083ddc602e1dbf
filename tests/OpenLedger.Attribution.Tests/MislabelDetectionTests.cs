using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Shares;
using OpenLedger.Testing;
using Xunit.Abstractions;

namespace OpenLedger.Attribution.Tests;

/// <summary>
/// One contributor of ten flips the labels of its records (10% of the training set, otherwise labelled without
/// noise). DataInf's self-influence should single its records out, and its share of clean inferences should fall
/// compared with when its labels were right.
/// </summary>
public sealed class MislabelDetectionTests(ITestOutputHelper output)
{
    private const double Alpha = 1.0;
    private const int Contributors = 10;
    private const int Examples = 200;
    private static readonly double[] _truth = [0.5, 2.5, -2.0, 1.5, -1.0, 2.0, 1.0];
    private static readonly LayerBlock[] _oneBlock = [new("weights", 0, 7)];

    [Fact]
    public void Flipped_labels_rank_highest_by_self_influence()
    {
        var random = new Random(31);
        var flipped = Poisoned();
        var train = ClassificationData.Draw(random, Examples, _truth, noiseFree: true).Flip(flipped);
        var problem = new InfluenceProblem(train, Alpha, _oneBlock);
        var isFlipped = Enumerable.Range(0, Examples).Select(flipped.Contains).ToArray();

        var dataInf = RankStatistics.Auc(problem.DataInf.SelfInfluence(problem.Rows, Examples), isFlipped);
        var exact = RankStatistics.Auc(Enumerable.Range(0, Examples).Select(i => problem.ExactScores(train.Features[i], train.Labels[i])[i]).ToArray(), isFlipped);
        var loss = RankStatistics.Auc(Enumerable.Range(0, Examples).Select(i => LogisticRegression.Loss(problem.Theta, train.Features[i], train.Labels[i])).ToArray(), isFlipped);
        output.WriteLine($"AUC for the {flipped.Count} flipped of {Examples}: DataInf self-influence {dataInf:F3}, exact self-influence {exact:F3}, training loss {loss:F3}");

        Assert.True(dataInf >= 0.9, $"DataInf self-influence finds the flipped labels with AUC {dataInf:F3}; at least 0.9 was expected.");
    }

    [Fact]
    public void A_contributor_whose_labels_are_flipped_loses_share_of_clean_inferences()
    {
        // Flipped records have large gradients, so the few inferences they happen to push the right way pay them
        // well: one training set is a noisy judge. The mean over several independent training sets is not.
        var random = new Random(32);
        var examples = Enumerable.Range(0, Examples).Select(i => new ExampleRef(i, $"0xc{i:x4}", Contributor(i))).ToList();
        var right = new List<double>();
        var flipped = new List<double>();
        for (var set = 0; set < 8; set++)
        {
            var clean = ClassificationData.Draw(random, Examples, _truth, noiseFree: true);
            var inferences = ClassificationData.Draw(random, 100, _truth, noiseFree: true);
            right.Add(MeanShare(clean, inferences, examples));
            flipped.Add(MeanShare(clean.Flip(Poisoned()), inferences, examples));
            output.WriteLine($"training set {set}: mean share of {inferences.Count} clean inferences: labels right {right[^1]:P2}, labels flipped {flipped[^1]:P2}");
        }
        output.WriteLine($"The contributor of 10% of the examples, over {right.Count} training sets: labels right {right.Average():P2}, labels flipped {flipped.Average():P2}");

        Assert.True(right.Average() > 0, "With its labels right the contributor should earn some share.");
        Assert.True(flipped.Average() < right.Average(), $"Flipping its labels moved the contributor's share from {right.Average():P2} to {flipped.Average():P2}; it should fall.");
    }

    // The engine's path: precondition each inference's gradient once, score the shard as TracIn at one checkpoint of
    // weight 1, and turn the contributor sums into shares.
    private static double MeanShare(ClassificationData train, ClassificationData inferences, IReadOnlyList<ExampleRef> examples)
    {
        var problem = new InfluenceProblem(train, Alpha, _oneBlock);
        var shard = new InfluenceShard(examples, [new CheckpointGradients(1.0, problem.Dimensions, problem.Rows)]);
        return Enumerable.Range(0, inferences.Count).Average(t =>
        {
            var preconditioned = problem.DataInf.Precondition(InfluenceProblem.ToFloats(problem.TestGradient(inferences.Features[t], inferences.Labels[t])));
            var result = shard.Score([preconditioned], topK: 5);
            var shares = AttributionShares.Compute(result.ContributorSums, new Dictionary<string, long>(), SharePolicy.Default);
            return (double)(shares.SingleOrDefault(s => s.Contributor == Contributor(0))?.PartsPerBillion ?? 0) / SharePolicy.Whole;
        });
    }

    private static string Contributor(int example) => $"0xa{example % Contributors:x2}";

    private static HashSet<int> Poisoned() => Enumerable.Range(0, Examples).Where(i => i % Contributors == 0).ToHashSet();
}
