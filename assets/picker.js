// A search box over each long list of units (select[multiple][data-picker]): typing narrows
// the list without diacritics ("tran bien" finds "Phường Trấn Biên"), the count of units
// chosen stays in view, and "Chọn các đơn vị đang hiện" takes every unit the search shows.
(function () {
  'use strict';
  var fold = function (s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  };
  document.querySelectorAll('select[multiple][data-picker]').forEach(function (sel) {
    var box = document.createElement('div');
    box.className = 'picker';
    var search = document.createElement('input');
    search.type = 'search';
    search.placeholder = 'Tìm đơn vị (không cần dấu)…';
    search.setAttribute('aria-label', 'Tìm đơn vị');
    var count = document.createElement('span');
    count.className = 'hint';
    var all = document.createElement('button');
    all.type = 'button';
    all.className = 'link';
    all.textContent = 'Chọn các đơn vị đang hiện';
    var none = document.createElement('button');
    none.type = 'button';
    none.className = 'link';
    none.textContent = 'Bỏ chọn tất cả';
    box.append(search, ' ', all, ' · ', none, ' ', count);
    sel.parentNode.insertBefore(box, sel);
    var options = Array.prototype.slice.call(sel.options);
    var keys = options.map(function (o) { return fold(o.textContent); });
    var show = function () {
      var n = options.filter(function (o) { return o.selected; }).length;
      count.textContent = 'Đã chọn: ' + n + ' đơn vị';
    };
    search.addEventListener('input', function () {
      var q = fold(search.value.trim());
      options.forEach(function (o, i) { o.hidden = q !== '' && keys[i].indexOf(q) < 0; });
    });
    all.addEventListener('click', function () {
      options.forEach(function (o) { if (!o.hidden) { o.selected = true; } });
      show();
    });
    none.addEventListener('click', function () {
      options.forEach(function (o) { o.selected = false; });
      show();
    });
    sel.addEventListener('change', show);
    show();
  });
})();
