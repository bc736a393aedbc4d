"""The relationship survey, in the style of the PARTNER tool: each member organisation rates
the partners it works with on value and trust, says how closely it works with each and what it
brings to the partnership; the partnership sees totals over enough answers
(docs/partnership-reviews.md)."""
