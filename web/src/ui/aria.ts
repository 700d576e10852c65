/**
 * Loaded with every React Aria widget. React Aria adds a `touch-action` rule for pressable
 * elements as an inline <style>, which the Content-Security-Policy (style-src 'self') refuses;
 * the rule is in styles.css instead, and an element with the id React Aria looks for tells it the
 * rule is present. The e2e CSP check fails if this stops working.
 */
const PRESSABLE_STYLE_ID = 'react-aria-pressable-style'

if (typeof document !== 'undefined' && !document.getElementById(PRESSABLE_STYLE_ID)) {
  const marker = document.createElement('meta')
  marker.id = PRESSABLE_STYLE_ID
  marker.name = 'react-aria-pressable-style'
  marker.content = 'in styles.css'
  document.head.append(marker)
}
