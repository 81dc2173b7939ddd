"""Hand-written phrase banks the demo composes its shoppers' reviews from: openers and titles
by how happy the shopper is, sentences about price, quality, size and fit, delivery and
service on either side, loanwords from other languages, sarcasm, feature requests and emoji.
Each sentence's tone matches the rating it is used with, so the sentiment analysis has
honest material."""

from __future__ import annotations

TITLES = {
    5: [
        "Love it",
        "Perfect!",
        "Exactly what I wanted",
        "Sehr gut",
        "10/10 would buy again",
        "Best purchase this year",
        "Magnifique",
        "So so good",
    ],
    4: [
        "Really nice",
        "Very happy",
        "Good buy",
        "Pretty great",
        "Nice, with one small gripe",
        "Solid choice",
    ],
    3: [
        "It's ok",
        "Mixed feelings",
        "Decent, not amazing",
        "Meh",
        "Could be better",
        "Half and half",
    ],
    2: ["Disappointed", "Not great", "Expected more", "Hmm, no", "Not for me"],
    1: [
        "Terrible",
        "Do not buy",
        "Waste of money",
        "Broke immediately",
        "Very bad experience",
        "Nope",
    ],
}

OPENERS = {
    5: [
        "Absolutely love this.",
        "Honestly one of the best things I've bought online.",
        "Wow, just wow.",
        "My daughter is obsessed with it.",
        "Bought it as a gift and they loved it.",
        "Second one I've ordered, that says it all.",
        "Can't fault it at all.",
    ],
    4: [
        "Really happy with this overall.",
        "Good product, does what it says.",
        "Pretty much what I expected, in a good way.",
        "Nice surprise when I opened the box.",
        "Would recommend, with one small caveat.",
    ],
    3: [
        "It's fine I guess.",
        "Some things I like, some I don't.",
        "Not bad, not great.",
        "Does the job but nothing special.",
        "I have mixed feelings about this one.",
    ],
    2: [
        "Not what I hoped for.",
        "Pretty disappointed, to be honest.",
        "I wanted to like it but no.",
        "Expected a lot more for what it is.",
    ],
    1: [
        "Really bad.",
        "Worst purchase in a long time.",
        "Do yourself a favour and skip this.",
        "I'm so annoyed.",
        "Complete letdown.",
    ],
}

ASPECTS = {
    "price": (
        [
            "Great value for the price.",
            "Worth every penny.",
            "Cheaper than in the shops and the same quality.",
            "For this price it's a steal.",
        ],
        [
            "Way too expensive for what you get.",
            "Overpriced, honestly.",
            "Not worth the money at all.",
            "You can find better for half the price.",
        ],
    ),
    "quality": (
        [
            "The quality is excellent, feels really solid.",
            "Well made, the stitching is neat.",
            "Sturdy and nicely finished.",
            "Materials feel premium, très chic.",
        ],
        [
            "The quality is poor, it feels cheap.",
            "It broke after two weeks.",
            "The seams started coming apart after one wash.",
            "Flimsy plastic, scratches easily.",
        ],
    ),
    "size": (
        [
            "Fits perfectly, true to size.",
            "The fit is spot on.",
            "Size chart was accurate, fits like a glove.",
            "Comfy and the right size.",
        ],
        [
            "Runs very small, order a size up.",
            "Way too big, had to send it back.",
            "The sizing is all over the place.",
            "Too tight around the shoulders.",
        ],
    ),
    "delivery": (
        [
            "Arrived super fast, two days.",
            "Delivery was quick and the packaging was kawaii.",
            "Shipping was faster than promised.",
            "Came well packed, no damage.",
        ],
        [
            "Delivery took almost three weeks.",
            "The parcel arrived damaged.",
            "Shipping was slow and tracking never updated.",
            "Box was crushed when it arrived.",
        ],
    ),
    "service": (
        [
            "Customer service was really helpful.",
            "Support answered within an hour, muy amable.",
            "The seller sorted out my question quickly.",
            "Friendly service, merci!",
        ],
        [
            "Customer service never replied to my emails.",
            "Support was rude and unhelpful.",
            "Tried to contact the seller twice, nothing.",
            "The return process was a nightmare.",
        ],
    ),
}

LOANWORDS = {
    "good": [
        "Sehr gut!",
        "C'est magnifique.",
        "Muy bonito, la verdad.",
        "Totally kawaii.",
        "Bellissimo.",
        "Das ist wunderbar.",
        "Una maravilla.",
        "Top qualité.",
    ],
    "bad": ["Schade.", "Quelle déception.", "Qué pena.", "Mamma mia, no.", "Nicht so gut."],
}

SARCASM = [
    "Oh great, another one that broke in a week. Just what I needed 🙄",
    "Wonderful, it arrived in pieces. Love that for me.",
    "Sure, 'premium quality'. If premium means falls apart, then yes.",
    "Ten out of ten for teaching me patience: three weeks to arrive.",
    "Yeah right, 'true to size'. Maybe for a doll.",
]

REQUESTS = [
    "Wish it came in blue.",
    "Would be great if it had a pocket.",
    "Please make a bigger size!",
    "I'd love a version in black.",
    "Would buy more if there was a multipack.",
    "Hope they add a longer strap.",
    "A travel case would be nice.",
]

EMOJI = {
    "good": ["😍", "👍", "❤️", "🔥", "✨", "🙌"],
    "bad": ["👎", "😡", "😞", "🤦"],
    "mid": ["🤷", "😐"],
}

TYPOS = {
    "really": "realy",
    "quality": "qualty",
    "definitely": "definately",
    "received": "recieved",
    "the": "teh",
    "great": "grate",
    "because": "becuase",
    "arrived": "arived",
}

SPAM = [
    "BEST DEAL EVER!!! Visit www.cheap-bargains.biz for 90% off, use code SAVE90",
    "Make money from home, dm me on whatsapp +44 7700 900123",
    "goooooood goooooood goooooood product product product product",
    "asdkjh qwrtzp lkjhgf mnbvcx qwrtyp",
]

NAMES = [
    "Ada L.",
    "José G.",
    "Aiko T.",
    "Priya S.",
    "Liam O.",
    "Mia K.",
    "Noah B.",
    "Chloé D.",
    "Mateo R.",
    "Hannah W.",
    "Yuki M.",
    "Lars J.",
    "Fatima A.",
    "Olivia P.",
    "Ethan C.",
    "Sofia V.",
    "Lukas F.",
    "Amara N.",
    "Giulia R.",
    "Tom H.",
    "Zoe E.",
    "Kenji S.",
    "Ingrid L.",
    "Carlos M.",
    "Nina Z.",
    "Omar Y.",
    "Emma S.",
    "Jonas B.",
    "Leila H.",
    "Sam R.",
    "Anya P.",
    "Diego F.",
    "Freya C.",
    "Hugo L.",
    "Isla M.",
    "Ravi K.",
]
