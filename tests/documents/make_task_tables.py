"""Makes the task-division test documents (constructed for tests, not real documents):
task-table-page.html, a page as a government site saves it; task-table-plan.docx, a Word
attachment; task-table-plan.pdf, the PDF LibreOffice makes of that Word file; and
task-table-long.docx and .pdf, a table that runs over pages, its header repeated on each.

    .venv/bin/python tests/documents/make_task_tables.py   (needs soffice for the PDF)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).parent

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>关于印发《川渝金融数据协同工作方案》的通知_重庆市人民政府网</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
<style>.nav { color: red }</style></head>
<body>
<div class="header"><a href="/">重庆市人民政府网</a> <a href="/en">English</a></div>
<div class="nav"><ul><li><a href="/zwgk">政务公开</a></li><li><a href="/zcwj">政策文件</a></li>
<li><a href="/hdjl">互动交流</a></li></ul></div>
<form class="search-box" action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政策文件</div>
<div class="main">
  <table class="metadata">
    <tr><td>索引号</td><td>11500000MB1234567X/2024-00021</td><td>主题分类</td><td>财政、金融</td></tr>
    <tr><td>发布机构</td><td>重庆市人民政府办公厅</td><td>成文日期</td><td>2024年03月15日</td></tr>
    <tr><td>标题</td><td>关于印发《川渝金融数据协同工作方案》的通知</td><td>发文字号</td><td>渝府办发〔2024〕21号</td></tr>
  </table>
  <div class="article-content" id="zoom">
    <h1>重庆市人民政府办公厅 四川省人民政府办公厅关于印发《川渝金融数据协同工作方案》的通知</h1>
    <p>渝府办发〔2024〕21号</p>
    <p>各有关单位：</p>
    <p>《川渝金融数据协同工作方案》已经重庆市政府和四川省政府同意，现印发给你们，请认真贯彻落实。</p>
    <p>重庆市人民政府办公厅　四川省人民政府办公厅</p>
    <p>2024年3月15日</p>
    <p>附件</p>
    <p>川渝金融数据协同重点任务分工表</p>
    <table border="1">
      <tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
      <tr><td colspan="5">一、共建金融数据市场</td></tr>
      <tr><td>1</td><td><p>建立川渝金融数据共享机制，</p><p>定期交换监管数据。</p></td><td>市金融监管局、省地方金融监管局</td><td>人行重庆营管部、人行成都分行</td><td>2024年底前</td></tr>
      <tr><td>2</td><td>推动跨省票据业务互认。</td><td>人行重庆营管部</td><td>重庆市财政局<br>四川省财政厅</td><td>2025年6月底前</td></tr>
      <tr><td colspan="5">二、强化金融风险联防</td></tr>
      <tr><td>3</td><td>开展跨省金融风险联合评估。</td><td>重庆银保监局、四川银保监局</td><td>成渝共建西部金融中心工作领导小组各成员单位</td><td>持续推进</td></tr>
      <tr><td>4</td><td>报送金融数据协同工作进展。</td><td rowspan="2">市金融监管局</td><td>省地方金融监管局</td><td>每年12月底前</td></tr>
      <tr><td>5</td><td>开展金融数据安全联合检查。</td><td>四川证监局</td><td>2024年第三季度</td></tr>
    </table>
  </div>
  <div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
  <div class="related-links"><h3>相关文件</h3><p><a href="/a">关于印发某某方案的通知</a></p></div>
</div>
<div class="footer"><p>主办：重庆市人民政府办公厅　版权所有</p><p>渝ICP备05003300号</p></div>
<script>console.log("页尾脚本")</script>
</body></html>
"""

NOTICE = [
    "重庆市人民政府办公厅 四川省人民政府办公厅",
    "关于印发《川渝绿色金融协同行动计划》的通知",
    "川府办发〔2024〕9号",
    "各有关单位：",
    "《川渝绿色金融协同行动计划》已经重庆市政府和四川省政府同意，现印发给你们，请认真贯彻落实。",
    "重庆市人民政府办公厅　四川省人民政府办公厅",
    "2024年4月2日",
    "附件",
    "川渝绿色金融协同行动计划重点任务分工表",
    "（各栏中排在第一位的为牵头单位）",
]
HEADER = ["序号", "领域", "重点任务", "重庆市责任单位", "四川省责任单位", "完成时限"]
#: (领域, 任务, 重庆市, 四川省 — None: one cell merged across both sides, 完成时限)
ROWS = [
    ("绿色信贷", "扩大绿色信贷投放规模。", "人行重庆营管部\n市财政局", "人行成都分行\n省财政厅\n成都市政府", "2024年9月底前"),
    ("绿色信贷", "建立绿色项目库共享机制。", "市金融监管局", "省地方金融监管局", "2024年底前"),
    ("绿色债券", "支持企业发行绿色债券。", "重庆证监局、市金融监管局、四川证监局、省地方金融监管局", None, "2025年上半年"),
    ("绿色债券", "定期会商绿色金融重大事项。", "成渝共建西部金融中心工作领导小组各成员单位", None, "持续推进"),
]


def _merge_down(cells: list) -> None:  # type: ignore[type-arg]
    """The first cell spans the rest vertically, as Word merges a category column."""
    cells[0].merge(cells[-1])


#: A table that runs over pages: each row of ROWS eight times, its task numbered, its 领域 not merged.
LONG_ROWS = [(row[0], f"{row[1][:-1]}（第{batch}批）。", *row[2:]) for row in ROWS for batch in range(1, 9)]


def make_word(path: Path, rows: list = ROWS, merges: tuple = ((1, 2), (3, 4))) -> None:  # type: ignore[type-arg]
    """The Word file of NOTICE and a task table of `rows`, their 领域 cells merged down over `merges`."""
    document = docx.Document()
    for text in NOTICE:
        document.add_paragraph(text)
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for index, (category, task, chongqing, sichuan, due) in enumerate(rows, start=1):
        cells = table.rows[index].cells
        cells[0].text, cells[1].text, cells[2].text, cells[5].text = str(index), category, task, due
        if sichuan is None:
            merged = cells[3].merge(cells[4])
            merged.text = chongqing
        else:
            _paragraphs(cells[3], chongqing.split("\n"))
            _paragraphs(cells[4], sichuan.split("\n"))
    for first, last in merges:
        merged = table.cell(first, 1).merge(table.cell(last, 1))
        merged.text = rows[first - 1][0]
    _repeat_header(table.rows[0])
    document.save(str(path))


def _paragraphs(cell, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Each unit a paragraph of its own in the cell, as such tables list them."""
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def make_pdf(word: Path, pdf: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: the PDF is not made")
        return
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", out, str(word)], check=True, capture_output=True)
        shutil.copyfile(Path(out) / f"{word.stem}.pdf", pdf)


if __name__ == "__main__":
    (HERE / "task-table-page.html").write_text(PAGE, encoding="utf-8")
    make_word(HERE / "task-table-plan.docx")
    make_pdf(HERE / "task-table-plan.docx", HERE / "task-table-plan.pdf")
    make_word(HERE / "task-table-long.docx", rows=LONG_ROWS, merges=())
    make_pdf(HERE / "task-table-long.docx", HERE / "task-table-long.pdf")
