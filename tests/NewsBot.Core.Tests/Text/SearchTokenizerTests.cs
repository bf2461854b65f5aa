using NewsBot.Core.Text;

namespace NewsBot.Core.Tests.Text;

public sealed class SearchTokenizerTests
{
    [Fact]
    public void Typographic_and_plain_apostrophes_give_the_same_tokens()
    {
        Assert.Equal(SearchTokenizer.Tokenize("North Korea's internet"), SearchTokenizer.Tokenize("North Korea’s internet"));
        Assert.Equal(SearchTokenizer.Tokenize("“totally down”"), SearchTokenizer.Tokenize("\"totally down\""));
    }

    [Fact]
    public void Stop_words_go_and_plurals_are_reduced()
    {
        Assert.Equal(["lawsuit", "employee", "outage"], SearchTokenizer.Tokenize("The lawsuits of the employees about outages"));
    }

    [Fact]
    public void Ampersand_names_stay_one_token()
    {
        Assert.Equal(["att", "shut", "3g", "network"], SearchTokenizer.Tokenize("AT&T shut its 3G network"));
    }

    [Fact]
    public void Normalizer_folds_odd_spaces_and_composes_accents()
    {
        Assert.Equal("a b c é", TextNormalizer.Normalize("a\u00A0b\u2009c e\u0301"));
        Assert.Equal("line\nnext", TextNormalizer.Normalize("line\r\nnext"));
    }
}
