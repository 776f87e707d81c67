namespace PostNext.Content.Rules;

/// <summary>The top-level domains that make a bare "example.com" count as a link on X, as regex alternations.</summary>
/// <remarks>
/// twitter-text knows ~1,500 generic TLDs (js/src/regexp/validGTLD.js); this is the common subset, so a bare domain
/// on a rare TLD counts as plain text here. Links with http(s):// accept any alphabetic TLD and are unaffected.
/// </remarks>
internal static class TopLevelDomains
{
    public const string Generic =
        "com|net|org|info|biz|edu|gov|mil|int|name|pro|mobi|aero|asia|cat|coop|jobs|museum|tel|travel|"
        + "app|dev|page|blog|shop|store|online|site|website|tech|news|live|life|world|today|space|xyz|club|top|"
        + "vip|art|design|studio|agency|media|digital|cloud|email|link|click|social|network|company|solutions|"
        + "services|global|group|games|music|video|photo|photos|photography|fashion|fitness|health|school|academy|"
        + "events|community|works|systems|software|wiki|zone|center|city|eco";

    // Every ASCII country-code TLD in twitter-text's js/src/regexp/validCCTLD.js.
    public const string CountryCode =
        "ac|ad|ae|af|ag|ai|al|am|an|ao|aq|ar|as|at|au|aw|ax|az|ba|bb|bd|be|bf|bg|bh|bi|bj|bl|bm|bn|bo|bq|br|bs|bt|"
        + "bv|bw|by|bz|ca|cc|cd|cf|cg|ch|ci|ck|cl|cm|cn|co|cr|cu|cv|cw|cx|cy|cz|de|dj|dk|dm|do|dz|ec|ee|eg|eh|er|es|"
        + "et|eu|fi|fj|fk|fm|fo|fr|ga|gb|gd|ge|gf|gg|gh|gi|gl|gm|gn|gp|gq|gr|gs|gt|gu|gw|gy|hk|hm|hn|hr|ht|hu|id|ie|"
        + "il|im|in|io|iq|ir|is|it|je|jm|jo|jp|ke|kg|kh|ki|km|kn|kp|kr|kw|ky|kz|la|lb|lc|li|lk|lr|ls|lt|lu|lv|ly|ma|"
        + "mc|md|me|mf|mg|mh|mk|ml|mm|mn|mo|mp|mq|mr|ms|mt|mu|mv|mw|mx|my|mz|na|nc|ne|nf|ng|ni|nl|no|np|nr|nu|nz|om|"
        + "pa|pe|pf|pg|ph|pk|pl|pm|pn|pr|ps|pt|pw|py|qa|re|ro|rs|ru|rw|sa|sb|sc|sd|se|sg|sh|si|sj|sk|sl|sm|sn|so|sr|"
        + "ss|st|su|sv|sx|sy|sz|tc|td|tf|tg|th|tj|tk|tl|tm|tn|to|tp|tr|tt|tv|tw|tz|ua|ug|uk|um|us|uy|uz|va|vc|ve|vg|"
        + "vi|vn|vu|wf|ws|ye|yt|za|zm|zw";
}
