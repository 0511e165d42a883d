"""Footer vocabulary shared by the licence and identity rules, written for the shadow view.

The shadow view is simplified script with half-width ASCII (``：`` is ``:``, ``（`` is ``(``), so
each pattern is written once in simplified characters. Quantifiers are bounded everywhere: no
pattern can backtrack badly on a long line.
"""

from __future__ import annotations

import re

from pagetidy.patterns import led_by
from pagetidy.rules.lines import content_length, is_prose, mostly

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台滇黔蜀陇秦"
"""One-character province abbreviations that prefix filing and licence numbers (simplified: the
shadow view has folded 滬粵閩… already); 滇黔蜀陇秦 are the alternative ones some sites use."""

P = f"[{PROVINCES}]"


ICP_NUMBER = re.compile(
    led_by(
        f"{PROVINCES}I",
        rf"{P}\s?\|?\s?ICP\s?(?:[备证]\s?案?)?\s?(?:号|编号)?\s?:?\s?(?:[A-Z]\d?\s?-\s?)?\d{{5,10}}"
        rf"\s?号?(?:\s?-\s?\d{{1,3}})?"
        rf"|ICP\s?(?:[备证]案?|经营许可证)(?:号|编号)?\s?:\s?{P}?\s?(?:[A-Z]\d?\s?-\s?)?\d{{5,10}}",
    ),
    re.I,
)
"""京ICP备12345678号-1, 京 ICP 证 040089 号-1, 京｜ICP备…, 京ICP00000008号, ICP证：B2-2004…"""

POLICE_NUMBER = re.compile(
    led_by(
        rf"{PROVINCES}\s公",
        rf"{P}?\s?公网安备\s?(?:号\s?:?\s?)?\d{{10,14}}\s?号?"
        r"|公安(?:局|机关)?[\u4e00-\u9fff]{0,8}备案(?:编号|号)\s?:?\s?\d{10,14}(?:-\d{1,6})?",
    )
)
"""京公网安备11010802044671号, 京公網安備 11010202000300號, 公安机关备案号：15081599004-00001."""

TELECOM_CODE = re.compile(
    led_by(PROVINCES, rf"(?<![A-Za-z0-9]){P}\s?[BA][12]?(?:\s?-\s?\d){{0,2}}\s?-\s?\d{{6,10}}")
)
"""粤B2-20090059, 沪B2-20040070-1, 粤B-20050235, 滇B-2-4-20030004, B1-20060139."""

CULTURE_CODE = re.compile(
    rf"{P}\s?网文\s?[\[\u3014【(]\s?\d{{4}}\s?[\]\u3015】)]\s?[\d*]{{1,6}}\s?-\s?[\d*]{{1,5}}\s?号?"
)
"""京网文[2020]5494-1075号, 京网文[2023]1034-029号, 浙网文[2013]***-027号."""

DOCUMENT_CODE = re.compile(
    rf"\(\s?{P}\s?\)\s?[\u4e00-\u9fff]{{0,10}}字\s?(?:\(\s?\d{{4}}\s?\)\s?)?第?\s?\d{{2,8}}\s?号?"
    rf"|[\u4e00-\u9fff]{{1,6}}字\s?[\[\u3014【(]\s?\d{{4}}\s?[\]\u3015】)]\s?[A-Z]?-?\s?[\w]{{0,4}}\d{{2,8}}\s?号"
)
"""（广媒）字第172号, (京)字121号, （京）网药械信息备字（2022）第00334号, 新出音字 [2008] 910号."""

LICENCE_NAME = re.compile(
    r"(?:增值电信业务|电信增值业务|电信与信息服务业务|电信业务|互联网新闻信息服务|信息网络传播视听节目"
    r"|广播电视节目制作经营|网络文化经营|网络出版服务|互联网出版|出版物经营|互联网药品信息服务"
    r"|药品医疗器械网络信息服务|互联网宗教信息服务|广告经营|ICP)(?:经营)?"
    r"(?:许可证|资格证书?|备案)(?:编号|号)?"
)
"""Names of the licences and filings a site has to display."""

LICENCE = re.compile(
    rf"(?:{LICENCE_NAME.pattern})\s?[)\]】]?\s?:?\s?[\[(（【]?\s?[^\s|]{{0,6}}?\s?"
    r"(?:[A-Z]?\d-?\d{5,12}|\d{5,12})\s?号?"
)
"""A licence name followed closely by its code: 互联网新闻信息服务许可证10120170001."""

REPORT = re.compile(
    led_by(
        "违不有举投1",
        r"(?:违法和)?不良(?:信息)?举报(?:电话|邮箱|中心|专区|入口)?|有害信息举报(?:专区|中心|电话)?"
        r"|(?:举报|投诉)(?:电话|邮箱|热线)\s?:|(?<!\d)123(?:77|18|21)(?!\d)",
    )
)
"""违法和不良信息举报电话, 网上有害信息举报专区, 举报电话：…, 12377 / 12318 / 12321 hotlines."""

COPYRIGHT = re.compile(
    led_by(
        "版著c©(a保",
        r"版权所有(?![者人权])|著作权所有|(?:copyright|©)\s?(?:©|\(c\))?\s?(?:\d{4})?|\(c\)\s?\d{4}"
        r"|all\s?rights\s?reserved|保留(?:一切|所有)权利|版权\s?©",
    ),
    re.I,
)
"""版权所有, Copyright © 2004-2014, (C) 2001, All Rights Reserved, 保留一切权利."""

REPRINT = re.compile(
    led_by(
        "转未不禁请严谢如若涉来版仅本凡网用读",
        r"(?:转载|转帖)(?:请|须|需|务必)(?:注明|附上|保留|联系|与)"
        r"|未经[^,。!?]{0,14}(?:授权|许可|同意)[^。!?]{0,6}(?:不得|禁止|请勿|严禁|谢绝|不许)"
        r"|(?:不得|禁止|请勿|严禁|谢绝|不许)(?:转载|转贴|复制|镜像)"
        r"|(?:如有|若有|如涉及|涉嫌)侵权[^。!?]{0,12}(?:联系|删除|告知)"
        r"|(?:来源|来自|转载自)于?(?:网络|互联网)[^。!?]{0,12}(?:版权|侵权|删除)"
        r"|版权(?:归|属于?)(?:原作者|原作品|作者|原网站|本站|本网)"
        r"|仅代表(?:作者|个人|发布者)[^。!?]{0,4}(?:观点|立场)|不代表本(?:站|网|平台|报|刊)[^。!?]{0,8}(?:观点|立场)"
        r"|(?:网友|用户|读者)(?:评论|留言|发言)仅(?:供|代表)"
        r"|本平台仅提供信息存储服务|凡本网注明|版权(?:声明|说明|保护)\s?:",
    )
)
"""Reposting and infringement notices: 转载请注明出处, 未经授权禁止转载, 如有侵权请联系删除…,
and the comment box's 网友评论仅供其表达个人看法."""

OPERATOR = re.compile(
    led_by(
        r"主承协指运维制建管(技网政中\dp是",
        r"(?:主办|承办|协办|主管|指导|运营|运行维护|维护|制作|建设|管理)(?:单位|机构)?\s?:"
        r"|(?<![\u4e00-\u9fff])(?:主办|承办|主管)(?=\s)|\((?:主办|承办|主管)\)"
        r"|技术支持\s?:?|网站标识码\s?:?\s?[A-Za-z0-9]{0,12}|政府网站找错|中文域名\s?:"
        r"|建议(?:使用|采用|以|您使用)[^。!?]{0,24}(?:浏览器|分辨率|浏览|访问)"
        r"|\d{3,4}\s?[*\u00d7xX]\s?\d{3,4}\s?(?:分辨率|像素)|powered\s?by|是否打开信息无障碍浏览",
    ),
    re.I,
)
"""Site identity: 主办单位：…, 技术支持：…, 网站标识码 bm…, 建议使用IE8以上浏览器, Powered by."""

NAV_WORD = re.compile(
    r"关于我们|联系我们|联络我们|网站地图|站点地图|网站导航|法律声明|免责声明|隐私政策|隐私(?:保护|条款|声明)"
    r"|用户协议|服务条款|使用条款|广告服务|广告投放|广告刊例|商务合作|合作伙伴|招聘信息|人才招聘|加入我们|诚聘英才"
    r"|意见反馈|问题反馈|帮助中心|版权声明|投稿(?:指南|须知|邮箱)?|网站简介|本站简介|关于本站|联系方式|订阅服务"
    r"|友情链接|设为首页|加入收藏|网站声明|使用帮助|客服中心|移动应用|手机版|电脑版|用户注册|会员注册"
    r"|通行证注册|产品答疑|网站律师|网站留言|网站公告|意见建议|网上投稿"
)
"""Footer navigation words (about us, contact us, site map, ads, privacy, jobs...)."""

CONTACT = re.compile(
    led_by(
        "联咨服客值电热传邮e地q",
        r"(?:联系|咨询|服务|客服|值班)?(?:电话|热线|传真|邮编|邮箱|e-?mail|地址|qq)\s?:",
    ),
    re.I,
)
"""Contact labels that often share a footer line with the site's identity."""

FOOTER_SIGNALS = (
    ICP_NUMBER, POLICE_NUMBER, TELECOM_CODE, CULTURE_CODE, DOCUMENT_CODE, LICENCE, REPORT,
    COPYRIGHT, REPRINT, OPERATOR, NAV_WORD,
)
"""Every footer pattern: a line where several of them occur is a footer line."""

FOOTER_MATERIAL = (*FOOTER_SIGNALS, LICENCE_NAME, CONTACT)
"""What a footer line may consist of besides names, numbers and separators."""


def footer_signals(text: str) -> int:
    """How many different footer patterns occur in ``text``."""
    return sum(1 for pattern in FOOTER_SIGNALS if pattern.search(text))


def footer_line(text: str, *, strong: bool) -> bool:
    """Whether a line holding a footer signal is a footer line rather than a sentence.

    ``strong`` means the signal is ID-shaped (a filing or licence number): that is evidence
    enough for any line that is not prose. Otherwise the line needs two different footer signals,
    or must be made mostly of footer material (labels, names, numbers, separators).
    """
    if is_prose(text):
        return False
    if strong:
        return True
    signals = footer_signals(text)
    if signals >= 2:
        return content_length(text) <= 100 * signals
    return mostly(text, *FOOTER_MATERIAL, share=0.5, slack=12)
