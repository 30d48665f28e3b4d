"""`raw.linkedin_recommendations_received`: recommendations from `Recommendations_Received.csv`; the
names, company and job title are those of the people who recommended the owner. The loader adds the lineage columns."""

from __future__ import annotations

from pipelines.schemas.linkedin_recommendations_given import LinkedinRecommendationsGivenSchema


class LinkedinRecommendationsReceivedSchema(LinkedinRecommendationsGivenSchema):
    """The same columns as the recommendations given: one row per recommendation per file;
    `staging` keeps one per recommendation_key."""
