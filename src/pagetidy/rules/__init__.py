"""The rule registry: every rule pagetidy has, in the order the pipeline runs them.

DOM rules run on the parsed tree (cleanup first, extraction last), text rules on the extracted
text. The order is one readable tuple; nothing is registered by import side effects.
"""

from __future__ import annotations

from pagetidy.errors import UnknownRuleError
from pagetidy.rules.artefacts import StripPinyinAnnotation, UnwrapMarkdownLinks
from pagetidy.rules.base import (
    Change,
    DomRule,
    LineRule,
    PageContext,
    Removal,
    Rule,
    TextRule,
)
from pagetidy.rules.chrome import (
    DropBreadcrumbLine,
    DropChromeBlocks,
    DropPaginationLine,
    DropPrevNextLine,
    DropRelatedBlock,
    DropShareLine,
    DropToolbarControls,
    DropVisitorCounter,
)
from pagetidy.rules.content import ExtractMainContent
from pagetidy.rules.identity import (
    DropCopyrightLine,
    DropDisclaimerBlock,
    DropFooterBlocks,
    DropFooterNavLine,
    DropReprintNotice,
    DropSiteIdentityLine,
)
from pagetidy.rules.licence import (
    DropIcpLine,
    DropLicenceLine,
    DropPoliceFilingLine,
    DropReportHotlineLine,
)
from pagetidy.rules.markup import (
    DropFormControls,
    DropHiddenElements,
    DropNonTextElements,
    DropRubyReadings,
)
from pagetidy.rules.meta import MoveByline, MoveDateLine, MoveMetadataLine, MoveTitleLine
from pagetidy.rules.repetition import (
    DropPostTimestamps,
    DropRepeatedNavLine,
    DropSeparatorLine,
)
from pagetidy.rules.script import ConvertScript
from pagetidy.rules.seo import (
    DropKeywordStuffedLine,
    DropLinkFarmBlock,
    DropLinkFarmBlocks,
    DropOffscreenText,
    DropTagLine,
    FlagSpamInjection,
)
from pagetidy.rules.unicode import (
    DecodeHtmlEntities,
    DropInvisibleCharacters,
    DropReplacementCharacters,
    DropSpacesBetweenCjk,
    FoldFullwidthAlphanumerics,
    FoldSpecialSpaces,
    NormalizeNfc,
    RepairMojibake,
    UnifyKangxiRadicals,
    WidenCjkPunctuation,
)
from pagetidy.rules.whitespace import CollapseBlankLines, CollapseSpaces

REGISTRY: tuple[type[Rule], ...] = (
    # DOM stage: what a browser would not show, then the choice of the main content.
    DropNonTextElements,
    DropFormControls,
    DropHiddenElements,
    DropRubyReadings,
    # boilerplate blocks named by class or id, and text hidden off screen
    DropOffscreenText,
    DropFooterBlocks,
    DropChromeBlocks,
    DropLinkFarmBlocks,
    ExtractMainContent,
    # Text stage: broken characters and leftover entities, boilerplate lines, then layout.
    DropReplacementCharacters,
    DecodeHtmlEntities,  # before the line rules, so they see "<" and "©", not "&lt;" and "&copy;"
    StripPinyinAnnotation,
    UnwrapMarkdownLinks,
    MoveTitleLine,
    MoveMetadataLine,
    MoveByline,
    MoveDateLine,
    # regulatory lines
    DropIcpLine,
    DropPoliceFilingLine,
    DropLicenceLine,
    DropReportHotlineLine,
    # site identity and copyright
    DropCopyrightLine,
    DropReprintNotice,
    DropDisclaimerBlock,
    DropSiteIdentityLine,
    DropFooterNavLine,
    # page chrome
    DropVisitorCounter,
    DropToolbarControls,
    DropShareLine,
    DropPrevNextLine,
    DropBreadcrumbLine,
    DropPaginationLine,
    DropRelatedBlock,
    # SEO spam
    FlagSpamInjection,
    DropTagLine,
    DropLinkFarmBlock,
    DropKeywordStuffedLine,
    # repetition and leftovers
    DropRepeatedNavLine,
    DropPostTimestamps,
    DropSeparatorLine,
    # Normalization: repaired and unified characters, then the script, converted last.
    RepairMojibake,
    NormalizeNfc,
    UnifyKangxiRadicals,
    DropInvisibleCharacters,
    FoldFullwidthAlphanumerics,
    DropSpacesBetweenCjk,
    FoldSpecialSpaces,
    WidenCjkPunctuation,
    ConvertScript,
    CollapseSpaces,
    CollapseBlankLines,
)

RULES_BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in REGISTRY}


def rule_named(name: str) -> type[Rule]:
    """The rule class registered under ``name``; ``UnknownRuleError`` lists the known names."""
    try:
        return RULES_BY_NAME[name]
    except KeyError:
        raise UnknownRuleError(name, RULES_BY_NAME) from None


__all__ = [
    "REGISTRY",
    "RULES_BY_NAME",
    "Change",
    "DomRule",
    "LineRule",
    "PageContext",
    "Removal",
    "Rule",
    "TextRule",
    "rule_named",
]
