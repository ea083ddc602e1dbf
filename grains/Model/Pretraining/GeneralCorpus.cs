namespace OpenLedger.Model.Pretraining;

/// <summary>
/// A generated general-domain English corpus (town life, weather, cooking, travel, gardening, sport, science,
/// work), deterministic from a seed, plus sentences over a broad word list so that the model has seen most of its
/// vocabulary, as a real base model has. It gives a base model ordinary language without any Datanet's domain, so
/// fine-tuning on a Datanet shows what that data adds.
/// </summary>
public static class GeneralCorpus
{
    private static readonly string[] _names = ["Ana", "Ben", "Chloe", "David", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noah", "Olga", "Pedro"];
    private static readonly string[] _places = ["the harbour", "the old market", "the library", "the river path", "the station", "the village hall", "the park", "the bakery", "the museum", "the school"];
    private static readonly string[] _days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] _weather = ["bright and clear", "cold and windy", "warm with light rain", "grey but dry", "foggy until noon", "sunny with a cool breeze"];
    private static readonly string[] _foods = ["lentil soup", "fresh bread", "apple pie", "vegetable curry", "roast potatoes", "tomato salad", "rice with beans", "pancakes"];
    private static readonly string[] _ingredients = ["onions", "garlic", "carrots", "butter", "flour", "olive oil", "lemon juice", "black pepper", "fresh herbs"];
    private static readonly string[] _plants = ["tomatoes", "roses", "beans", "sunflowers", "lettuce", "apple trees", "lavender"];
    private static readonly string[] _sports = ["football", "tennis", "cycling", "swimming", "basketball", "running"];
    private static readonly string[] _facts =
    [
        "Water boils at a lower temperature high in the mountains because the air pressure is lower.",
        "The moon takes about twenty seven days to go around the earth.",
        "Plants use sunlight to turn water and carbon dioxide into sugar.",
        "Sound travels faster through water than through air.",
        "Bees visit thousands of flowers to make a single jar of honey.",
        "The heart of an adult pumps about five litres of blood every minute.",
        "Light from the sun reaches the earth in a little over eight minutes.",
        "Rivers carry sand and stones that slowly shape their valleys.",
    ];
    private static readonly string[] _jobs = ["teacher", "nurse", "carpenter", "baker", "engineer", "librarian", "farmer", "driver"];

    /// <summary>
    /// <paramref name="count"/> short documents drawn from <paramref name="seed"/>; a fifth of them use words from
    /// <paramref name="words"/> (none when empty).
    /// </summary>
    public static IReadOnlyList<string> Generate(int seed, int count, IReadOnlyList<string>? words = null)
    {
        var random = new Random(seed);
        var documents = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            documents.Add(random.Next(5) switch
            {
                0 when words is { Count: > 0 } => WordDocument(random, words),
                1 => RecordDocument(random),
                _ => Document(random),
            });
        }
        return documents;
    }

    /// <summary>The whole English words of a tokenizer's vocabulary (ids that decode to a space and 3+ letters).</summary>
    public static IReadOnlyList<string> WordsOf(Tokenization.TextTokenizer tokenizer, int vocabularySize)
    {
        var words = new List<string>();
        for (var id = 0; id < vocabularySize; id++)
        {
            var text = tokenizer.Decode([id]);
            if (text.Length >= 4 && text[0] == ' ' && text.Skip(1).All(char.IsAsciiLetterLower))
            {
                words.Add(text[1..]);
            }
        }
        return words;
    }

    private static string WordDocument(Random r, IReadOnlyList<string> words)
    {
        string Word() => words[r.Next(words.Count)];
        return r.Next(3) switch
        {
            0 => $"The {Word()} and the {Word()} were discussed at {Pick(r, _places)}. {Pick(r, _names)} said the {Word()} mattered more than the {Word()}.",
            1 => $"Notes for {Pick(r, _days)}: {Word()}, {Word()}, {Word()}, {Word()} and {Word()}. Check the {Word()} before the {Word()}.",
            _ => $"In the report, {Word()} {Word()} was followed by {Word()} {Word()}. It took {2 + r.Next(30)} minutes and {1 + r.Next(9)} people.",
        };
    }

    private static string Pick(Random r, string[] items) => items[r.Next(items.Length)];

    // Everyday structured records ("key: value" lines with dates, counts and flags), as general text is full of forms.
    private static string RecordDocument(Random r)
    {
        var date = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(r.Next(6 * 365 * 24));
        var stamp = date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return r.Next(3) switch
        {
            0 => $"title: Weather at {Pick(r, _places)}\ncategory: weather\ndate: {stamp}\ntemperature: {r.Next(-5, 35)}\nrain: {(r.Next(2) == 0 ? "true" : "false")}\n" +
                 $"summary: The day was {Pick(r, _weather)}.\n",
            1 => $"title: {Pick(r, _foods)}\ncategory: recipe\nservings: {1 + r.Next(8)}\nminutes: {10 + r.Next(80)}\nvegetarian: {(r.Next(2) == 0 ? "true" : "false")}\n" +
                 $"summary: Start with {Pick(r, _ingredients)} and {Pick(r, _ingredients)}, then add {Pick(r, _ingredients)}.\n",
            _ => $"title: {Pick(r, _sports)} match report\ncategory: sport\nplayed_at: {stamp}\nhome: {r.Next(6)}\naway: {r.Next(6)}\n" +
                 $"summary: {Pick(r, _names)} scored and the crowd at {Pick(r, _places)} cheered.\n",
        };
    }

    private static string Document(Random r)
    {
        string Pick(string[] items) => items[r.Next(items.Length)];
        var name = Pick(_names);
        var other = Pick(_names);
        return r.Next(8) switch
        {
            0 => $"On {Pick(_days)} the weather was {Pick(_weather)}. {name} walked to {Pick(_places)} and met {other} there. " +
                 $"They talked about the week and agreed to meet again on {Pick(_days)}.",
            1 => $"To make {Pick(_foods)}, start with {Pick(_ingredients)} and {Pick(_ingredients)}. Cook slowly for {10 + r.Next(40)} minutes, " +
                 $"then add {Pick(_ingredients)}. {name} says it tastes best when shared with friends.",
            2 => $"The train from {Pick(_places)} left at {6 + r.Next(14)} o'clock. {name} read a book during the trip and looked out at the fields. " +
                 $"The journey took {1 + r.Next(5)} hours and the weather was {Pick(_weather)}.",
            3 => $"In the garden {name} planted {Pick(_plants)} and {Pick(_plants)}. They need water every {1 + r.Next(3)} days and plenty of sun. " +
                 $"By the end of summer the garden was full of colour.",
            4 => $"The {Pick(_sports)} match on {Pick(_days)} ended {r.Next(6)} to {r.Next(6)}. {name} played well and the crowd at {Pick(_places)} cheered. " +
                 $"The coach said the team would train harder next week.",
            5 => $"{Pick(_facts)} {Pick(_facts)} {name} learned this at {Pick(_places)} and told {other} about it.",
            6 => $"{name} works as a {Pick(_jobs)}. Each morning {name} arrives at {7 + r.Next(3)} o'clock, checks the plan for the day and helps {other}. " +
                 $"The work is busy but {name} enjoys it.",
            _ => $"Dear {other}, thank you for the {Pick(_foods)} you brought on {Pick(_days)}. The weather here is {Pick(_weather)}. " +
                 $"I hope to see you soon at {Pick(_places)}. Best wishes, {name}.",
        };
    }
}
