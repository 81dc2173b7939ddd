"""The catalog's problems: each a stable `code` clients branch on."""

from __future__ import annotations

from mercato.kernel.errors import Forbidden, Problem


class InvalidAmount(Problem):
    status, code, title = 422, "invalid_amount", "The amount is not valid in its currency"


class InvalidCompareAtPrice(Problem):
    status, code = 422, "invalid_compare_at_price"
    title = "A compare-at price must be higher than the price"


class NotYourProduct(Forbidden):
    code, title = "not_your_product", "This product belongs to another merchant"


class NoMerchant(Forbidden):
    code, title = "no_merchant", "This account sells for no merchant"


class UnknownCategory(Problem):
    status, code, title = 422, "unknown_category", "The category does not exist"


class SlugTaken(Problem):
    status, code, title = 409, "slug_taken", "The slug is already used"


class LastActiveVariant(Problem):
    status, code = 409, "last_active_variant"
    title = "A product keeps at least one active variant (archive the product instead)"


class TooManyVariants(Problem):
    status, code, title = 422, "too_many_variants", "A product has at most 100 variants"


class CategoryCycle(Problem):
    status, code = 422, "category_cycle"
    title = "A category cannot move under itself or its descendants"


class CategoryNotEmpty(Problem):
    status, code = 409, "category_not_empty"
    title = "The category still has subcategories or products"


class InvalidCursor(Problem):
    status, code, title = 400, "invalid_cursor", "Invalid cursor"


class InvalidFilter(Problem):
    status, code, title = 422, "invalid_filter", "A listing filter is not valid"


class UnsupportedPicture(Problem):
    status, code = 415, "unsupported_picture"
    title = "The file is not a picture Mercato takes (JPEG, PNG, WebP or GIF)"


class PictureTooLarge(Problem):
    status, code, title = 413, "picture_too_large", "The picture's file is too large"


class PictureDimensions(Problem):
    status, code, title = 422, "picture_dimensions", "The picture is too large or too small"


class TooManyPictures(Problem):
    status, code, title = 409, "too_many_pictures", "A product has at most 20 pictures"


class DuplicatePicture(Problem):
    status, code, title = 409, "duplicate_picture", "The product already has this picture"


class UnknownVariant(Problem):
    status, code, title = 422, "unknown_variant", "The variant is not one of the product's"
