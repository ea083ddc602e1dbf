namespace OpenLedger.Testing.Fuzzing;

/// <summary>Makes one new input from a seed; all randomness comes from the generator given, so a run reproduces.</summary>
public interface IMutator
{
    /// <summary>A mutant of <paramref name="seed"/>; <paramref name="seeds"/> are there to splice from.</summary>
    byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random);
}
