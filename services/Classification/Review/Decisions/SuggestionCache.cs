using EarlyWarning.Classification.Policy;
using EarlyWarning.Classification.Review.Suggestions;

namespace EarlyWarning.Classification.Review.Decisions;

/// <summary>The suggester of the policy in force, built once per policy (its indexes cost a few milliseconds).</summary>
internal sealed class SuggestionCache(PolicyProvider policies)
{
    private ReviewSuggester? _current;

    public ReviewSuggester Current
    {
        get
        {
            var policy = policies.Current;
            var current = _current;
            if (current?.Policy != policy) _current = current = new ReviewSuggester(policy);
            return current;
        }
    }
}
