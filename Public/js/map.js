/*
 * Wijkwerk slippy maps (progressive enhancement)
 * ==========================================================================
 * Needs Leaflet (/vendor/leaflet/leaflet.js, loaded before this file) and
 * /css/map.css. Without JavaScript, or without window.L, nothing changes: the
 * server-rendered fallback (an <input type="image"> map plus the lat/lon text
 * fields, or an SVG/list of links) keeps working.
 *
 * Two modes, found by data attributes:
 *
 *   [data-map-picker]  report form: choose one point inside a region and write
 *                      it to the text fields named by data-lat-field and
 *                      data-lon-field (ids).
 *   [data-map-points]  read-only map of points from a GeoJSON
 *                      FeatureCollection (properties: title, href, status).
 *
 * CSP: no inline scripts or style attributes are written by this file; only
 * element.style (CSSOM) is used, by Leaflet itself. Data is put into the DOM
 * with textContent, never with innerHTML.
 */
(function () {
  'use strict';

  var L = window.L;
  if (!L || typeof L.map !== 'function' || !document.querySelectorAll) {
    return; // fallback stays
  }

  var MIN_ZOOM = 7;
  var MAX_ZOOM = 19;
  var POINT_ZOOM = 17;
  var NL_CENTRE = [52.1, 5.3];

  var STATUS_COLOURS = {
    open: '#b3541e',
    closed: '#4b6b2f'
  };
  var DEFAULT_COLOUR = '#154273';

  /* ------------------------------------------------------------------------
   * Helpers
   * ---------------------------------------------------------------------- */

  /** "51,76" or "51.76" (optionally signed) → number, otherwise null. */
  function parseDecimal(value) {
    if (typeof value !== 'string') {
      return null;
    }
    var text = value.trim().replace(',', '.');
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
      return null;
    }
    var number = Number(text);
    return Number.isFinite(number) ? number : null;
  }

  function parsePoint(latText, lonText) {
    var lat = parseDecimal(latText);
    var lon = parseDecimal(lonText);
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return null;
    }
    return L.latLng(lat, lon);
  }

  /** "s,w,n,e" → L.LatLngBounds, or null. */
  function parseBounds(value) {
    if (!value) {
      return null;
    }
    var parts = value.split(',').map(function (part) { return parseDecimal(part); });
    if (parts.length !== 4 || parts.some(function (n) { return n === null; })) {
      return null;
    }
    var bounds = L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]);
    return bounds.isValid() ? bounds : null;
  }

  /** Replaces {0}, {1}, … in a template. */
  function format(template, values) {
    return String(template || '').replace(/\{(\d+)\}/g, function (match, index) {
      var value = values[Number(index)];
      return value === undefined ? match : String(value);
    });
  }

  function fetchJSON(url) {
    return fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: 'application/geo+json, application/json' }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      return response.json();
    });
  }

  function fitTo(map, bounds) {
    if (bounds) {
      map.fitBounds(bounds);
    } else {
      map.setView(NL_CENTRE, MIN_ZOOM);
    }
  }

  /** The slippy map container: a focusable, labelled region. */
  function createMapElement(root, modifier) {
    var element = document.createElement('div');
    element.className = 'ww-map-canvas ww-map-canvas--' + modifier;
    element.setAttribute('role', 'region');
    if (root.dataset.textMapLabel) {
      element.setAttribute('aria-label', root.dataset.textMapLabel);
    }
    element.tabIndex = 0;
    return element;
  }

  function createMap(root, element) {
    var map = L.map(element, {
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      keyboard: true,
      zoomControl: false
    });
    L.control.zoom({
      zoomInTitle: root.dataset.textZoomIn || 'Inzoomen',
      zoomOutTitle: root.dataset.textZoomOut || 'Uitzoomen'
    }).addTo(map);
    if (root.dataset.tiles) {
      L.tileLayer(root.dataset.tiles, {
        attribution: root.dataset.attribution || '',
        minZoom: MIN_ZOOM,
        maxZoom: MAX_ZOOM
      }).addTo(map);
    }
    return map;
  }

  /* ------------------------------------------------------------------------
   * GeoJSON polygons and point-in-polygon (ray casting)
   * ---------------------------------------------------------------------- */

  function isRing(ring) {
    return Array.isArray(ring) && ring.length >= 3 && ring.every(function (position) {
      return Array.isArray(position) && position.length >= 2 &&
        Number.isFinite(position[0]) && Number.isFinite(position[1]);
    });
  }

  /** GeoJSON (Feature, FeatureCollection, geometry) → [[outer, hole, …], …] in [lon, lat]. */
  function collectPolygons(geojson, out) {
    out = out || [];
    if (!geojson || typeof geojson !== 'object') {
      return out;
    }
    switch (geojson.type) {
      case 'FeatureCollection':
        (geojson.features || []).forEach(function (feature) { collectPolygons(feature, out); });
        break;
      case 'Feature':
        collectPolygons(geojson.geometry, out);
        break;
      case 'GeometryCollection':
        (geojson.geometries || []).forEach(function (geometry) { collectPolygons(geometry, out); });
        break;
      case 'Polygon':
        addPolygon(geojson.coordinates, out);
        break;
      case 'MultiPolygon':
        (geojson.coordinates || []).forEach(function (polygon) { addPolygon(polygon, out); });
        break;
      default:
        break;
    }
    return out;
  }

  function addPolygon(rings, out) {
    if (Array.isArray(rings) && rings.length > 0 && rings.every(isRing)) {
      out.push(rings);
    }
  }

  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0];
      var yi = ring[i][1];
      var xj = ring[j][0];
      var yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  function polygonsContain(polygons, latlng) {
    var x = latlng.lng;
    var y = latlng.lat;
    return polygons.some(function (rings) {
      if (!ringContains(rings[0], x, y)) {
        return false;
      }
      for (var k = 1; k < rings.length; k++) {
        if (ringContains(rings[k], x, y)) {
          return false;
        }
      }
      return true;
    });
  }

  function toLatLngs(ring) {
    return ring.map(function (position) { return [position[1], position[0]]; });
  }

  /** Greys out everything outside the region and draws its border. */
  function drawOutline(map, polygons) {
    var world = [[-85, -180], [-85, 180], [85, 180], [85, -180]];
    var outers = [];
    var holes = [];
    polygons.forEach(function (rings) {
      outers.push(toLatLngs(rings[0]));
      rings.slice(1).forEach(function (ring) { holes.push(toLatLngs(ring)); });
    });
    var mask = {
      interactive: false,
      stroke: false,
      fillColor: '#000',
      fillOpacity: 0.18
    };
    L.polygon([world].concat(outers), mask).addTo(map);
    holes.forEach(function (hole) { L.polygon(hole, mask).addTo(map); });
    L.polygon(outers.concat(holes), {
      interactive: false,
      fill: false,
      color: DEFAULT_COLOUR,
      weight: 3
    }).addTo(map);
  }

  /* ------------------------------------------------------------------------
   * Picker mode
   * ---------------------------------------------------------------------- */

  function initPicker(root) {
    var data = root.dataset;
    var latField = document.getElementById(data.latField || 'lat');
    var lonField = document.getElementById(data.lonField || 'lon');
    var frame = root.querySelector('.ww-map-picker__frame');
    if (!latField || !lonField) {
      return;
    }

    var regionName = data.regionName || '';

    /* --- DOM: [button] [message] [map]; the fallback frame is hidden --- */
    var tools = document.createElement('div');
    tools.className = 'ww-map-picker__tools';
    var locateButton = document.createElement('button');
    locateButton.type = 'button';
    locateButton.className = 'ww-button ww-button--secondary ww-map-picker__locate';
    locateButton.textContent = data.textLocate || 'Gebruik mijn locatie';
    tools.appendChild(locateButton);

    var message = document.createElement('p');
    message.className = 'ww-map-message';
    message.setAttribute('role', 'status');
    message.setAttribute('aria-live', 'polite');

    var element = createMapElement(root, 'picker');
    var describedBy = frame && frame.querySelector('[aria-describedby]');
    var helpId = describedBy ? describedBy.getAttribute('aria-describedby') : '';
    if (!helpId) {
      var help = root.querySelector('p[id]');
      helpId = help ? help.id : '';
    }
    if (helpId) {
      element.setAttribute('aria-describedby', helpId);
    }

    var anchor = frame || null;
    root.insertBefore(tools, anchor);
    root.insertBefore(message, anchor);
    root.insertBefore(element, anchor);

    var map;
    try {
      map = createMap(root, element);
    } catch (error) {
      root.removeChild(tools);
      root.removeChild(message);
      root.removeChild(element);
      return; // fallback stays
    }
    if (frame) {
      frame.hidden = true;
    }
    root.classList.add('ww-map-picker--enhanced');

    var chosen = root.querySelector('.ww-map-picker__chosen');
    var polygons = null; // null: outline not (yet) loaded, accept every point
    var marker = null;
    var current = null; // last accepted point
    var writing = false;
    var locating = false;
    var messageToken = 0;

    /* --- message (one polite live region, reused) --- */
    function say(text, isError) {
      messageToken += 1;
      var token = messageToken;
      message.classList.toggle('ww-map-message--error', Boolean(isError));
      if (message.textContent === text && text !== '') {
        // Same text again: clear first so screen readers announce it again.
        message.textContent = '';
        window.setTimeout(function () {
          if (token === messageToken) {
            message.textContent = text;
          }
        }, 100);
      } else {
        message.textContent = text;
      }
    }

    function pickedText(latlng) {
      return format(data.textPicked || '{0}, {1}', [latlng.lat.toFixed(5), latlng.lng.toFixed(5)]);
    }

    function isInside(latlng) {
      return polygons === null || polygonsContain(polygons, latlng);
    }

    /* --- marker --- */
    function placeMarker(latlng) {
      var label = pickedText(latlng);
      if (marker) {
        marker.setLatLng(latlng);
        marker.options.title = label;
        marker.options.alt = label;
        var icon = marker.getElement();
        if (icon) {
          icon.title = label;
          icon.alt = label;
        }
        return;
      }
      marker = L.marker(latlng, {
        draggable: true,
        autoPan: true,
        keyboard: true,
        title: label,
        alt: label
      }).addTo(map);
      marker.on('dragend', function () {
        pick(marker.getLatLng());
      });
    }

    function restoreMarker() {
      if (!marker) {
        return;
      }
      if (current) {
        marker.setLatLng(current);
      } else {
        map.removeLayer(marker);
        marker = null;
      }
    }

    /* --- fields --- */
    function readFields() {
      return parsePoint(latField.value, lonField.value);
    }

    function writeFields(latlng) {
      writing = true;
      try {
        [[latField, latlng.lat], [lonField, latlng.lng]].forEach(function (pair) {
          pair[0].value = pair[1].toFixed(6);
          pair[0].dispatchEvent(new Event('input', { bubbles: true }));
          pair[0].dispatchEvent(new Event('change', { bubbles: true }));
        });
      } finally {
        writing = false;
      }
    }

    /* --- choosing a point (click, drag end, Enter/Space, geolocation) --- */
    function pick(latlng, zoom) {
      latlng = L.latLng(latlng).wrap();
      if (!isInside(latlng)) {
        restoreMarker();
        say(format(data.textOutside, [regionName]), true);
        return false;
      }
      current = latlng;
      placeMarker(latlng);
      writeFields(latlng);
      var text = pickedText(latlng);
      if (chosen) {
        chosen.textContent = text;
      }
      say(text, false);
      if (zoom) {
        map.setView(latlng, zoom);
      }
      return true;
    }

    function onFieldChange() {
      if (writing) {
        return;
      }
      var latlng = readFields();
      if (!latlng) {
        return;
      }
      current = latlng;
      placeMarker(latlng);
      map.panTo(latlng);
      if (!isInside(latlng)) {
        say(format(data.textOutside, [regionName]), true);
      } else if (message.classList.contains('ww-map-message--error')) {
        say('', false);
      }
    }

    latField.addEventListener('change', onFieldChange);
    lonField.addEventListener('change', onFieldChange);

    map.on('click', function (event) {
      pick(event.latlng);
    });

    // Keyboard: pan with the arrow keys (Leaflet), then Enter or Space picks
    // the centre of the map. Only when the map itself has focus, not a marker
    // or a control inside it.
    element.addEventListener('keydown', function (event) {
      if (event.target !== element || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      if (event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar') {
        event.preventDefault();
        pick(map.getCenter());
      }
    });

    /* --- "use my location" --- */
    locateButton.addEventListener('click', function () {
      if (!navigator.geolocation || typeof navigator.geolocation.getCurrentPosition !== 'function') {
        say(data.textUnavailable || '', true);
        return;
      }
      if (locating) {
        return;
      }
      locating = true;
      say(data.textLocating || '', false);
      navigator.geolocation.getCurrentPosition(function (position) {
        locating = false;
        pick(L.latLng(position.coords.latitude, position.coords.longitude), POINT_ZOOM);
      }, function (error) {
        locating = false;
        var refused = error && error.code === 1; // PERMISSION_DENIED
        say(refused ? (data.textRefused || '') : (data.textUnavailable || ''), true);
      }, {
        enableHighAccuracy: true,
        timeout: 10000,
        maximumAge: 0
      });
    });

    /* --- initial view --- */
    var initial = readFields();
    if (initial) {
      current = initial;
      placeMarker(initial);
      map.setView(initial, POINT_ZOOM);
    } else {
      fitTo(map, parseBounds(data.bounds));
    }

    /* --- region outline: fetched once; until then every point is accepted --- */
    if (data.outline) {
      fetchJSON(data.outline).then(function (geojson) {
        var found = collectPolygons(geojson);
        if (found.length > 0) {
          polygons = found;
          drawOutline(map, found);
        }
      }).catch(function () {
        // No outline: keep accepting points; the server checks them anyway.
      });
    }
  }

  /* ------------------------------------------------------------------------
   * Points mode (read-only)
   * ---------------------------------------------------------------------- */

  function safeHref(href) {
    if (typeof href !== 'string' || href === '') {
      return null;
    }
    try {
      var url = new URL(href, window.location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function collectPoints(geojson) {
    var features = geojson && geojson.type === 'FeatureCollection' && Array.isArray(geojson.features)
      ? geojson.features
      : [];
    return features.filter(function (feature) {
      var geometry = feature && feature.geometry;
      return geometry && geometry.type === 'Point' && Array.isArray(geometry.coordinates) &&
        Number.isFinite(geometry.coordinates[0]) && Number.isFinite(geometry.coordinates[1]);
    });
  }

  function popupContent(title, href) {
    var container = document.createElement('p');
    container.className = 'ww-map-popup';
    if (href) {
      var link = document.createElement('a');
      link.href = href;
      link.textContent = title;
      container.appendChild(link);
    } else {
      container.textContent = title;
    }
    return container;
  }

  function addPoint(map, feature, closeLabel) {
    var properties = feature.properties || {};
    var coordinates = feature.geometry.coordinates;
    var title = typeof properties.title === 'string' && properties.title !== ''
      ? properties.title
      : String(properties.href || '');
    var href = safeHref(properties.href);
    var colour = STATUS_COLOURS[properties.status] || DEFAULT_COLOUR;

    var point = L.circleMarker([coordinates[1], coordinates[0]], {
      radius: 7,
      color: '#fff',
      weight: 2,
      fillColor: colour,
      fillOpacity: 1
    }).addTo(map);

    var tooltip = document.createElement('span');
    tooltip.textContent = title;
    point.bindTooltip(tooltip, { direction: 'top', offset: [0, -6] });
    var content = popupContent(title, href);
    point.bindPopup(content, { maxWidth: 240, minWidth: 120 });
    // Leaflet only handles Escape while the map itself has focus; also close
    // the popup when focus is on its link.
    content.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' || event.key === 'Esc') {
        event.preventDefault();
        point.closePopup();
      }
    });

    // Keyboard: the circle is focusable; Enter/Space opens the popup and
    // moves focus to its link; closing it (Escape) brings focus back.
    var path = point.getElement ? point.getElement() : point._path;
    if (!path) {
      return;
    }
    var openedByKeyboard = false;
    path.setAttribute('tabindex', '0');
    path.setAttribute('role', 'button');
    path.setAttribute('aria-label', title);
    path.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ' || event.key === 'Spacebar') {
        event.preventDefault();
        openedByKeyboard = true;
        point.openPopup();
      }
    });
    point.on('popupopen', function (event) {
      var popupElement = event.popup.getElement();
      var close = popupElement && popupElement.querySelector('.leaflet-popup-close-button');
      if (close) {
        close.setAttribute('role', 'button');
        close.setAttribute('aria-label', closeLabel);
        close.title = closeLabel;
      }
      if (!openedByKeyboard) {
        return;
      }
      var link = popupElement && popupElement.querySelector('.ww-map-popup a');
      if (link) {
        link.focus();
      }
    });
    point.on('popupclose', function (event) {
      if (!openedByKeyboard) {
        return;
      }
      openedByKeyboard = false;
      var active = document.activeElement;
      var popupElement = event.popup.getElement();
      if (!active || active === document.body || (popupElement && popupElement.contains(active))) {
        path.focus();
      }
    });
  }

  function initPoints(root) {
    var data = root.dataset;
    fetchJSON(data.mapPoints).then(function (geojson) {
      var features = collectPoints(geojson);
      var fallback = Array.prototype.slice.call(root.children);
      var element = createMapElement(root, 'points');
      root.appendChild(element);
      var map;
      try {
        map = createMap(root, element);
        fitTo(map, parseBounds(data.bounds) ||
          (features.length > 0
            ? L.latLngBounds(features.map(function (f) {
              return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
            }))
            : null));
        var closeLabel = data.textClose || 'Sluiten';
        features.forEach(function (feature) { addPoint(map, feature, closeLabel); });
      } catch (error) {
        if (map) {
          map.remove();
        }
        root.removeChild(element);
        return; // fallback stays
      }
      fallback.forEach(function (child) { child.hidden = true; });
      root.classList.add('ww-map-points--enhanced');
      map.invalidateSize();
    }).catch(function () {
      // Fetch failed: the server-rendered fallback stays.
    });
  }

  /* ------------------------------------------------------------------------
   * Start
   * ---------------------------------------------------------------------- */

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-map-picker]'), function (root) {
      if (!root.classList.contains('ww-map-picker--enhanced')) {
        initPicker(root);
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-map-points]'), function (root) {
      if (!root.classList.contains('ww-map-points--enhanced') && root.dataset.mapPoints) {
        initPoints(root);
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
