"""The reviews agent: customers' reviews of products (seed 003 "Review", seed 000's review
entity): verified when a delivered order of theirs holds the product (BR025), checked for
spam and profanity (clean ones publish at once, the rest wait for staff), merchants' and
staff's replies, helpful votes, reports, and each product's rating aggregate; its events
feed the sentiment analysis and search's rating sort."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.reviews import rules as rules  # registers BR015, BR016, BR025
from mercato.agents.reviews.access import MODERATE, REPLY, WRITE
from mercato.agents.reviews.api import router
from mercato.agents.reviews.handlers import handlers
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant

grant("customer", WRITE)  # their own reviews, votes, reports
grant("merchant", WRITE, REPLY)  # replies on its own products' reviews
grant("support", WRITE, REPLY, MODERATE)
grant("system", REPLY, MODERATE)  # integrations: an outside moderation service
# admins hold every permission

agent = Agent(
    name="reviews",
    description="Product reviews, moderation, verified purchase",
    router=router,
    handlers=handlers,
    tables=[
        "reviews",
        "review_votes",
        "review_reports",
        "review_replies",
        "product_ratings",
        "review_purchases",
    ],
    web=Path(__file__).parent / "web",
)
