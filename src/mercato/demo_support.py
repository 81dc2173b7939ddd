"""The demo store's help desk: the FAQ a real shop would publish (kept true to what Mercato
does: flat shipping and its free threshold, authorise at checkout and capture at shipping,
cancel before it ships (BR006), returns within 30 days (BR009) in their original condition
(BR010), one discount code per order) and a couple of tickets from its customers."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.support.service import ArticleSpec


@dataclass(frozen=True)
class DemoTicket:
    email: str
    """The demo customer who opens it (one of `demo.USERS`)."""
    subject: str
    body: str
    category: str
    priority: str
    hours_ago: float
    """When it was opened: the inbox shows one late on its SLA, one not yet due."""
    staff_reply: str | None = None


FAQ: list[ArticleSpec] = [
    ArticleSpec(
        topic="shipping",
        question="How long does delivery take, and what does shipping cost?",
        answer=(
            "Orders placed before 2 pm on a working day leave our warehouse the same day; "
            "otherwise the next working day. Within the US a parcel usually arrives in 2 to 5 "
            "working days.\n\nShipping is a flat $5.00 per order, and free on orders over "
            "$75.00. Your cart shows the shipping before you pay."
        ),
        keywords=[
            "delivery time",
            "how long",
            "arrive",
            "parcel",
            "shipping cost",
            "free shipping",
            "when will my order arrive",
            "dispatch",
            "package",
            "postage",
            "not arrived",
        ],
    ),
    ArticleSpec(
        topic="shipping",
        question="Do you ship internationally?",
        answer=(
            "Yes: we ship to Canada, the United Kingdom, Germany, France, Spain, Italy, the "
            "Netherlands, Japan, Australia and Brazil as well as the US. International parcels "
            "take 5 to 12 working days. Prices include no import duties: the carrier may "
            "collect local duties and VAT on delivery (UK and German orders show VAT at "
            "checkout)."
        ),
        keywords=[
            "international",
            "abroad",
            "overseas",
            "countries",
            "customs",
            "duties",
            "outside the us",
            "worldwide",
        ],
    ),
    ArticleSpec(
        topic="orders",
        question="How do I track my order?",
        answer=(
            "When your order ships we add the carrier and its tracking number to the order. "
            "Open Account > Orders and choose the order to see its status, timeline and "
            "tracking number (guests: use the same browser you ordered with, or ask us with "
            "your order number, ORD-…)."
        ),
        keywords=[
            "track",
            "tracking number",
            "where is my order",
            "order status",
            "carrier",
            "shipped",
        ],
    ),
    ArticleSpec(
        topic="returns",
        question="What is your returns policy?",
        answer=(
            "You can return an item within 30 days of delivery. It must be unused and in its "
            "original condition, with its tags and packaging. Open a ticket from Help > Contact "
            "us with your order number and the items you are sending back; we reply with the "
            "return address and a return label."
        ),
        keywords=[
            "return",
            "send back",
            "send it back",
            "give back",
            "30 days",
            "return policy",
            "return an item",
            "unwanted",
        ],
    ),
    ArticleSpec(
        topic="returns",
        question="When will I get my refund?",
        answer=(
            "Once the returned item reaches us and we have checked it is in its original "
            "condition, we refund the original payment method, usually within 2 working days. "
            "Your bank may take another 5 to 10 working days to show it. If your order was "
            "cancelled before it shipped, nothing was charged: the hold on your card is simply "
            "released."
        ),
        keywords=[
            "refund",
            "money back",
            "reimburse",
            "how long refund",
            "refunded",
            "original payment method",
        ],
    ),
    ArticleSpec(
        topic="returns",
        question="Can I exchange an item for another size or colour?",
        answer=(
            "The quickest way is to place a new order for the size or colour you want, then "
            "return the first item within 30 days for a refund. That way the new one ships "
            "right away instead of waiting for the return to reach us."
        ),
        keywords=["exchange", "swap", "different size", "wrong size", "another colour", "replace"],
    ),
    ArticleSpec(
        topic="payments",
        question="Which payment methods do you accept?",
        answer=(
            "We accept Visa, Mastercard and American Express cards through our payment "
            "provider, and PayPal. Card details go straight to the provider: we never store "
            "your card number, only its brand and last four digits."
        ),
        keywords=[
            "payment methods",
            "pay",
            "credit card",
            "debit card",
            "paypal",
            "visa",
            "mastercard",
            "amex",
        ],
    ),
    ArticleSpec(
        topic="payments",
        question="When is my card charged?",
        answer=(
            "At checkout we only authorise the order's total: your bank holds the amount. We "
            "capture the payment when your order ships. If the order is cancelled before it "
            "ships, the authorisation is released and you are not charged."
        ),
        keywords=[
            "charged",
            "charge",
            "authorisation",
            "authorization",
            "pending charge",
            "hold on my card",
            "when do you take payment",
            "billed",
        ],
    ),
    ArticleSpec(
        topic="orders",
        question="Can I cancel my order?",
        answer=(
            "Yes, as long as it has not shipped yet. Open Account > Orders, choose the order "
            "and press Cancel order; the stock is released and the hold on your card with it. "
            "Once an order has shipped it can no longer be cancelled: return it instead "
            "(within 30 days of delivery)."
        ),
        keywords=["cancel", "cancellation", "cancel order", "changed my mind", "stop my order"],
    ),
    ArticleSpec(
        topic="orders",
        question="Can I change the shipping address of my order?",
        answer=(
            "Until your order ships, yes: contact us with your order number and the new "
            "address and we change it (the tax is recalculated if you move to another state "
            "or country). Once it has shipped the carrier cannot redirect it."
        ),
        keywords=[
            "change address",
            "wrong address",
            "shipping address",
            "moved",
            "update address",
            "deliver elsewhere",
        ],
    ),
    ArticleSpec(
        topic="discounts",
        question="How do I use a discount code?",
        answer=(
            "Enter the code in your cart and press Apply: the discount shows in the totals at "
            "once. One code per order; codes cannot be combined. Some codes need a minimum "
            "order (SAVE5 takes $5 off orders over $50), and an expired code is taken off the "
            "cart automatically."
        ),
        keywords=[
            "discount code",
            "coupon",
            "promo code",
            "voucher",
            "code not working",
            "promotion",
            "welcome10",
        ],
    ),
    ArticleSpec(
        topic="account",
        question="I forgot my password. How do I reset it?",
        answer=(
            "Ask for a reset link with the email address of your account: we email a "
            "single-use link that works for one hour. For your safety we give the same answer "
            "whether or not an account exists for that address. After five wrong passwords in "
            "a row an account is locked for 15 minutes."
        ),
        keywords=[
            "password",
            "reset password",
            "forgot password",
            "sign in",
            "log in",
            "locked out",
            "account",
        ],
    ),
    ArticleSpec(
        topic="products",
        question="How do I find my size?",
        answer=(
            "Each clothing and footwear product lists its sizes as variants; the product page "
            "says which are in stock. If you are between two sizes, choose the larger one. If "
            "it does not fit, return it within 30 days."
        ),
        keywords=[
            "size guide",
            "sizing",
            "fit",
            "which size",
            "measurements",
            "too small",
            "too big",
        ],
    ),
    ArticleSpec(
        topic="other",
        question="How do I contact a person?",
        answer=(
            "Ask the shopping assistant to talk to a person, or open a ticket under Help > "
            "Contact us. Our support team answers urgent issues within an hour and everything "
            "else within a working day; you can follow the conversation under Help > My "
            "tickets."
        ),
        keywords=[
            "contact",
            "human",
            "person",
            "agent",
            "customer service",
            "talk to someone",
            "speak to",
            "help",
            "support",
            "complaint",
        ],
    ),
]


TICKETS = [
    DemoTicket(
        email="ada@demo.mercato.dev",
        subject="Parcel not arrived yet",
        body="I ordered a week ago and the tracking has not moved for four days. Can you check "
        "with the carrier?",
        category="shipping",
        priority="high",
        hours_ago=30,
        staff_reply="Sorry about the wait, Ada! I have asked the carrier to trace it and will "
        "update you by tomorrow.",
    ),
    DemoTicket(
        email="jose@demo.mercato.dev",
        subject="Charged twice?",
        body="My bank shows two pending amounts for the same order. Will I be charged twice?",
        category="payment",
        priority="normal",
        hours_ago=3,
    ),
]
