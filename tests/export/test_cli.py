"""The ``kcn-gis export`` command."""

from __future__ import annotations

from matplotlib.image import imread
from sheet_fixtures import page_text, pdf_pages

from gis_app.cli import main


def test_export_sheet_pdf(tmp_path, capsys):
    target = tmp_path / "bg03.pdf"
    code = main(["export", "sheet", "bac_ninh", "--park", "BG03", "--paper", "A3",
                 "--orientation", "landscape", "--scale", "10000", "--lang", "vi",
                 "--format", "pdf", "--corners", "--prepared-by", "Nguyễn Văn Lập",
                 "-o", str(target)])
    assert code == 0
    assert "(1:10 000, A3 landscape)" in capsys.readouterr().out
    (page,) = pdf_pages(target.read_bytes())
    text = page_text(page)
    assert "Tỷ lệ 1:10 000" in text and "KCN Đình Trám (BG03)" in text
    assert "Nguyễn Văn Lập" in text and "Tọa độ điểm góc ranh giới (VN-2000)" in text


def test_a_stated_scale_that_cuts_the_park_off_is_refused(tmp_path, capsys):
    # Quế Võ spans about 3.6 x 2.9 km; an A3 frame shows 1.3 km of it at 1:5 000, 2.6 km at
    # 1:10 000: only 1:25 000 holds it.
    target = tmp_path / "bn06.pdf"
    code = main(["export", "sheet", "bac_ninh", "--park", "BN06", "--paper", "A3",
                 "--scale", "5000", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "at 1:5,000 the A3 map frame shows" in err and "choose 1:25,000" in err
    assert not target.exists()


def test_export_sheet_png(tmp_path):
    target = tmp_path / "bn06.png"
    assert main(["export", "sheet", "bac_ninh", "--park", "BN06", "--paper", "A4",
                 "--orientation", "portrait", "--format", "png", "-o", str(target)]) == 0
    height, width = imread(target).shape[:2]
    assert (width, height) == (int(210 / 25.4 * 200), int(297 / 25.4 * 200))


def test_unknown_park_is_a_one_line_error(tmp_path, capsys):
    assert main(["export", "sheet", "bac_ninh", "--park", "XX", "-o",
                 str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "no park 'XX'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_stated_scale_without_paper_takes_the_smallest_paper_that_holds_the_park(tmp_path,
                                                                                  capsys):
    # Quế Võ (3.6 x 2.9 km) at 1:10 000 needs 361 x 294 mm of map frame: not A3, but A1.
    target = tmp_path / "bn06.pdf"
    assert main(["export", "sheet", "bac_ninh", "--park", "BN06", "--scale", "10000",
                 "-o", str(target)]) == 0
    assert "(1:10 000, A1 landscape)" in capsys.readouterr().out
    (page,) = pdf_pages(target.read_bytes())
    width_pt, height_pt = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width_pt / 72 * 25.4), round(height_pt / 72 * 25.4)) == (841, 594)


def test_the_fit_message_suggests_larger_paper_only_where_one_holds_the_park(tmp_path,
                                                                             capsys):
    target = tmp_path / "bn06.pdf"
    # On A3 at 1:10 000: A1 holds it at that scale, and 1:25 000 holds it on A3.
    assert main(["export", "sheet", "bac_ninh", "--park", "BN06", "--paper", "A3",
                 "--orientation", "landscape", "--scale", "10000", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "choose 1:25,000 or a smaller scale, use A1 landscape paper" in err
    assert "dùng khổ giấy A1 ngang" in err
    # On A1 (the largest paper) at 1:5 000 no paper holds it: only a smaller scale helps.
    assert main(["export", "sheet", "bac_ninh", "--park", "BN06", "--paper", "A1",
                 "--scale", "5000", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "choose 1:10,000 or a smaller scale, or let the scale fit" in err
    assert "paper" not in err.split("span")[1] and "khổ giấy" not in err
    # Without a paper, 1:5 000 fits none of them: the message is the default A3's, with
    # the scale that helps and no paper.
    assert main(["export", "sheet", "bac_ninh", "--park", "BN06", "--scale", "5000",
                 "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "at 1:5,000 the A3 map frame" in err and "choose 1:25,000" in err
    assert "paper" not in err.split("span")[1]
    assert not target.exists()
